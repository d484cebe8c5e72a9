// s3rver (npm) as test/support/s3-server.ts runs it, made to answer as real S3 does where tests depend on it:
// - the two multipart calls s3rver lacks, AbortMultipartUpload (DELETE /bucket/key?uploadId=…) and
//   ListMultipartUploads (GET /bucket?uploads), so tests can check that a failed upload leaves no parts
//   behind. Both work on s3rver's own upload folders (<directory>/<bucket>/._S3rver_uploads/<id>/) and
//   skip signature checks (a loopback test server only);
// - Signature V4 is checked (s3rver takes any V4 signature of a known key), so a wrong secret key gets
//   SignatureDoesNotMatch, as from real S3;
// - a second account, READONLY / READONLY, may read and list but is refused every write with
//   AccessDenied (403), as a bucket policy or IAM policy without s3:PutObject refuses it;
// - a listing with a delimiter shows a common prefix whose keys all lie deeper ("a/" for just "a/b/c.txt"):
//   s3rver skips folders below a common prefix before it has seen a key in them.
// Usage: node --openssl-legacy-provider s3rver-child.mjs <directory> <port> <bucket>...
import crypto from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

// s3rver is CommonJS, and its store takes `walk` from its utils when first loaded: patch that first.
const load = createRequire(import.meta.url)
const utils = load('s3rver/lib/utils')

// Before s3rver's store takes `walk` from utils: a folder the listing would skip still gives its first
// object, enough for the common prefix (listObjects drops it again if it is outside the prefix or before
// start-after).
const walk = utils.walk
utils.walk = function* walkFindingPrefixes(dir, recurseFilter) {
  for (const filename of fs.readdirSync(dir)) {
    const filePath = path.posix.join(dir, filename)
    if (!fs.statSync(filePath).isDirectory()) yield filePath
    else if (!recurseFilter || recurseFilter(filePath)) yield* walkFindingPrefixes(filePath, recurseFilter)
    else {
      for (const inner of walk(filePath)) {
        if (!inner.endsWith('._S3rver_object')) continue
        yield inner
        break
      }
    }
  }
}
const S3rver = load('s3rver')

// s3rver's one account (S3RVER / S3RVER), and a read-only one of ours; other key IDs get s3rver's own InvalidAccessKeyId.
const SECRETS = { S3RVER: 'S3RVER', READONLY: 'READONLY' }
const READ_ONLY_KEY = 'READONLY'
const hmac = (key, text) => crypto.createHmac('sha256', key).update(text).digest()
const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex')
const escapeUri = (text) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** The signature AWS SigV4 gives the request (header or presigned query auth), or null if it is not V4. */
function expectedSignature(req) {
  const [rawPath, rawQuery = ''] = req.url.split(/\?(.*)/s)
  const params = rawQuery.split('&').filter(Boolean).map((pair) => {
    const at = pair.indexOf('=')
    return at === -1 ? [decodeURIComponent(pair), ''] : [decodeURIComponent(pair.slice(0, at)), decodeURIComponent(pair.slice(at + 1))]
  })
  const query = Object.fromEntries(params)
  const header = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]+)$/.exec(req.headers.authorization ?? '')
  const presigned = query['X-Amz-Algorithm'] === 'AWS4-HMAC-SHA256'
  if (!header && !presigned) return null
  const credential = header ? header[1] : query['X-Amz-Credential']
  const signedHeaders = header ? header[2] : query['X-Amz-SignedHeaders']
  const provided = header ? header[3] : query['X-Amz-Signature']
  const amzDate = header ? req.headers['x-amz-date'] : query['X-Amz-Date']
  const [accessKeyId, ...scope] = credential.split('/')
  const secret = SECRETS[accessKeyId]
  if (!secret) return null
  const canonicalQuery = params
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => [escapeUri(k), escapeUri(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&')
  const names = signedHeaders.split(';')
  const canonicalHeaders = names.map((name) => `${name}:${String(req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('')
  const payload = presigned ? 'UNSIGNED-PAYLOAD' : req.headers['x-amz-content-sha256']
  const canonical = [req.method, rawPath, canonicalQuery, canonicalHeaders, signedHeaders, payload].join('\n')
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope.join('/'), sha256(canonical)].join('\n')
  const key = scope.reduce((k, part) => hmac(k, part), `AWS4${secret}`)
  return { accessKeyId, provided, expected: hmac(key, toSign).toString('hex') }
}

function checkSignature(ctx, next) {
  const signature = expectedSignature(ctx.req)
  if (signature && signature.provided !== signature.expected) {
    ctx.status = 403
    ctx.type = 'application/xml'
    ctx.body = xml('<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message></Error>')
    return undefined
  }
  if (signature?.accessKeyId === READ_ONLY_KEY && !['GET', 'HEAD'].includes(ctx.method)) {
    ctx.status = 403
    ctx.type = 'application/xml'
    ctx.body = xml('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>')
    return undefined
  }
  // s3rver knows one account only: a read of the read-only one, its signature checked above, goes on as anonymous.
  if (signature?.accessKeyId === READ_ONLY_KEY) delete ctx.req.headers.authorization
  return next()
}

const [directory, port, ...buckets] = process.argv.slice(2)
const xml = (body) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`
const escape = (text) => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`)

function multipartCalls(ctx, next) {
  // "/bucket", "/bucket/" (what the SDK sends for bucket calls) or "/bucket/key…"
  const match = /^\/([^/]+)(?:\/(.+)?)?$/.exec(ctx.path)
  if (!match) return next()
  const uploads = path.join(directory, decodeURIComponent(match[1]), '._S3rver_uploads')
  if (ctx.method === 'DELETE' && match[2] && typeof ctx.query.uploadId === 'string') {
    const id = ctx.query.uploadId
    const folder = path.join(uploads, id)
    if (!/^[0-9a-f]{32}$/.test(id) || !fs.existsSync(folder)) {
      ctx.status = 404
      ctx.type = 'application/xml'
      ctx.body = xml('<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>')
      return undefined
    }
    fs.rmSync(folder, { recursive: true, force: true })
    ctx.status = 204
    return undefined
  }
  if (ctx.method === 'GET' && !match[2] && 'uploads' in ctx.query) {
    const ids = fs.existsSync(uploads) ? fs.readdirSync(uploads) : []
    const listed = ids.map((id) => `<Upload><Key>${escape(fs.readFileSync(path.join(uploads, id, 'key'), 'utf8'))}</Key><UploadId>${id}</UploadId></Upload>`)
    ctx.type = 'application/xml'
    ctx.body = xml(`<ListMultipartUploadsResult><Bucket>${escape(match[1])}</Bucket><IsTruncated>false</IsTruncated>${listed.join('')}</ListMultipartUploadsResult>`)
    return undefined
  }
  return next()
}

const server = new S3rver({
  directory,
  address: '127.0.0.1',
  port: Number(port),
  silent: true,
  vhostBuckets: false,
  configureBuckets: buckets.map((name) => ({ name, configs: [] })),
})
// Koa composes its middleware when it starts listening: first in the list runs first.
server.middleware.unshift(checkSignature, multipartCalls)
server.run().then(
  ({ port: listening }) => console.log(`S3rver listening on 127.0.0.1:${listening}`),
  (err) => {
    console.error(err)
    process.exit(1)
  },
)
