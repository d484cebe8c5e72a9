/**
 * The HTTP routes that carry a file's bytes (never JSON): relative, so the same URL works in serve mode
 * (same origin, the session cookie) and in the desktop app (app://backplane serves the same paths).
 */
const encodeName = (name: string) => name.split('/').map(encodeURIComponent).join('/')

function withQuery(path: string, query: [string, string][]): string {
  const search = new URLSearchParams(query).toString()
  return search ? `${path}?${search}` : path
}

export interface FileUrlOptions {
  /** For previews: the server renders only safe types inline and sends the rest as a download. */
  inline?: boolean
  /** Makes the download a transfer in the queue, with progress in the transfers panel. */
  transfer?: string
}

export function fileUrl(alias: string, name: string, { inline = false, transfer }: FileUrlOptions = {}): string {
  const query: [string, string][] = []
  if (inline) query.push(['inline', '1'])
  if (transfer) query.push(['transfer', transfer])
  return withQuery(`/api/v1/storage/${encodeURIComponent(alias)}/${encodeName(name)}`, query)
}

export function uploadUrl(alias: string, name: string, conflict: 'rename' | 'overwrite' | 'fail', transfer: string): string {
  return withQuery(`/api/v1/storage/${encodeURIComponent(alias)}/${encodeName(name)}`, [
    ['conflict', conflict],
    ['transfer', transfer],
  ])
}

export function zipUrl(alias: string, names: readonly string[], filename: string, transfer?: string): string {
  const query: [string, string][] = names.map((name) => ['name', name])
  query.push(['filename', filename])
  if (transfer) query.push(['transfer', transfer])
  return withQuery(`/api/v1/storage-zip/${encodeURIComponent(alias)}`, query)
}

/** An id for a transfer this page starts; crypto.randomUUID needs a secure context, which serve mode over a LAN address is not. */
export function newTransferId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return `t-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

/** Starts a browser download of a URL the way a click on a link with `download` would. */
export function startDownload(url: string, filename = ''): void {
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
}
