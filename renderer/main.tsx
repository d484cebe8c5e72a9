import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { connectToHost } from './api/client'
import { App } from './app/app'
import { MissingTokenScreen } from './app/missing-token-screen'
import { ThemeRoot } from './app/theme-root'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element.')
const client = await connectToHost()

createRoot(root).render(
  <StrictMode>
    <ThemeRoot>{client ? <App client={client} /> : <MissingTokenScreen />}</ThemeRoot>
  </StrictMode>,
)
