import { HashRouter, Navigate, Route, Routes } from 'react-router'
import type { ApiClient } from '../api/client'
import { AuthPage } from '../features/auth/auth-page'
import { CachePage } from '../features/cache/cache-page'
import { DashboardPage } from '../features/dashboard/dashboard-page'
import { DataPage } from '../features/data/data-page'
import { FilesPage } from '../features/files/files-page'
import { MailPage } from '../features/mail/mail-page'
import { SettingsPage } from '../features/settings/settings-page'
import { ApiProviders } from './api-providers'
import { AppLayout } from './app-layout'

/**
 * Hash routing: the page itself is always index.html, whether at app://backplane (Electron) or
 * http://127.0.0.1:PORT (serve mode), so neither host needs to know the GUI's routes.
 */
export function App({ client }: { client: ApiClient }) {
  return (
    <ApiProviders client={client}>
      <HashRouter>
        <Routes>
          <Route element={<AppLayout />}>
            <Route index element={<DashboardPage />} />
            <Route path="mail" element={<MailPage />} />
            <Route path="data" element={<DataPage />} />
            <Route path="cache" element={<CachePage />} />
            <Route path="auth" element={<AuthPage />} />
            <Route path="files" element={<FilesPage />} />
            <Route path="settings" element={<SettingsPage />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Route>
        </Routes>
      </HashRouter>
    </ApiProviders>
  )
}
