import { afterAll, beforeAll } from 'vitest'
import { startHttpServer, type RunningServer } from '../../main/hosts/http/server'
import { startS3Server, type S3TestServer } from './s3-server'
import { openTestApp, type TestApp } from './test-app'

/** The bucket the route tests' S3 aliases use, on the s3rver each test file starts for itself. */
export const ROUTES_BUCKET = 'backplane-test'

export interface S3Routes {
  readonly s3: S3TestServer
  readonly test: TestApp
  readonly http: RunningServer
}

/**
 * For a test file of the storage routes on S3: s3rver started here (so the file never skips), a test
 * app as serve runs it with the S3 alias `bucket` on `prefix` of the bucket (and a memory alias `mem`),
 * and its HTTP server on `token`; all of it stopped after the file.
 */
export function useS3Routes({ token, prefix }: { token: string; prefix: string }): S3Routes {
  let s3: S3TestServer | undefined
  let test: TestApp | undefined
  let http: RunningServer | undefined
  beforeAll(async () => {
    s3 = await startS3Server()
    test = await openTestApp({ host: 'serve' })
    await test.app.call('settings.saveAlias', {
      kind: 'storage',
      name: 'bucket',
      engine: 's3',
      options: { endpoint: s3.endpoint, region: s3.region, bucket: ROUTES_BUCKET, prefix, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    })
    await test.app.call('settings.saveAlias', { kind: 'storage', name: 'mem', engine: 'memory', options: {} })
    http = await startHttpServer(test.app, { host: '127.0.0.1', port: 0, token })
  }, 30_000)
  afterAll(async () => {
    await http?.close()
    await test?.close()
    await s3?.stop()
  })
  const started = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`useS3Routes: the ${what} is not started yet (used outside a test?)`)
    return value
  }
  return {
    get s3() {
      return started('S3 server', s3)
    },
    get test() {
      return started('test app', test)
    },
    get http() {
      return started('HTTP server', http)
    },
  }
}
