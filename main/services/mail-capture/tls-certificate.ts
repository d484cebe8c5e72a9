import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generate } from 'selfsigned'

/**
 * The capture server's STARTTLS certificate: self-signed for localhost and 127.0.0.1, made once and
 * kept in the data directory so clients that pin it keep working across restarts.
 */
export async function captureCertificate(dataDir: string): Promise<{ key: string; cert: string }> {
  const keyFile = join(dataDir, 'smtp-capture.key')
  const certFile = join(dataDir, 'smtp-capture.crt')
  try {
    return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') }
  } catch {
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000),
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
    })
    await writeFile(keyFile, pems.private, { mode: 0o600 })
    await writeFile(certFile, pems.cert, { mode: 0o644 })
    return { key: pems.private, cert: pems.cert }
  }
}
