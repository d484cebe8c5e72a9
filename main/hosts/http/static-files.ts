import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { RENDERER_FILE_HEADERS, contentTypeOf, rendererFile } from '../renderer-files'

/**
 * Serves the built renderer, the same bundle Electron loads through its app:// protocol, with the
 * same CSP. Unknown paths get index.html (the GUI routes with the URL hash, so this is only a safety net).
 */
export async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<boolean> {
  let file = rendererFile(root, pathname)
  if (!file) return false
  let info = await stat(file).catch(() => undefined)
  if (!info || info.isDirectory()) {
    file = join(root, 'index.html')
    info = await stat(file).catch(() => undefined)
    if (!info) return false
  }
  const type = contentTypeOf(file)
  res.writeHead(200, {
    'content-type': type,
    'content-length': info.size,
    ...RENDERER_FILE_HEADERS,
    'referrer-policy': 'no-referrer',
    'cache-control': type.startsWith('text/html') ? 'no-store' : 'public, max-age=31536000, immutable',
  })
  createReadStream(file).pipe(res)
  return true
}
