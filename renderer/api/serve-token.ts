const STORAGE_KEY = 'backplane.token'

/**
 * Serve mode's token arrives once in the address bar (`/?token=…`, printed by `backplane serve`).
 * Keep it for this tab only (sessionStorage survives reloads, not the browser closing) and take it
 * out of the address bar so it does not end up in history, bookmarks or screenshots.
 */
export function takeServeToken(): string | null {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(STORAGE_KEY, fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem(STORAGE_KEY)
}

export function forgetServeToken(): void {
  sessionStorage.removeItem(STORAGE_KEY)
}
