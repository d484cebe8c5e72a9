/**
 * The layering of ARCHITECTURE.md, enforced: imports only go down
 * hosts → api → services → backends → core; the renderer sees only the API contract;
 * electron is imported in main/hosts/electron alone; the contract stays free of Node.
 */
/**
 * A server's driver is imported by its engine's file (or folder) alone, so no other layer grows a second
 * client for the same server. `engine` is where the import may be; add a row when an engine lands.
 */
const DRIVERS = [
  { module: 'pg|pg-cursor|pg-query-stream|pg-protocol', engine: '^main/backends/data/engines/postgresql' },
  { module: 'mysql2', engine: '^main/backends/data/engines/mysql' },
  { module: 'oracledb', engine: '^main/backends/data/engines/oracle' },
  { module: 'redis|ioredis|@redis/[^/]+', engine: '^main/backends/cache/engines/redis' },
  { module: 'memjs|memcached|memcache-client', engine: '^main/backends/cache/engines/memcached' },
  { module: 'ldapts', engine: '^main/backends/auth/engines/ldap' },
  { module: '@aws-sdk/[^/]+', engine: '^main/backends/storage/engines/s3' },
  { module: 'ssh2|ssh2-sftp-client', engine: '^main/(core/ssh/|backends/storage/engines/sftp)' },
  // nodemailer is also the message composer of every mail engine; its SMTP client is the smtp engine's alone.
  { module: 'nodemailer/lib/smtp-connection', engine: '^main/backends/mail/engines/smtp' },
  // The one SQLite opener (WAL, busy timeout), shared by the sqlite engine and the outbox store, and the outbox's writer thread.
  { module: 'better-sqlite3', engine: '^main/(core/sqlite(-thread)?\\.ts|services/outbox/sqlite-writer\\.ts)$' },
]

module.exports = {
  forbidden: [
    ...DRIVERS.map(({ module, engine }) => ({
      name: `driver-only-in-its-engine:${module.split('|')[0]}`,
      comment: `Only ${engine} may import ${module}.`,
      severity: 'error',
      from: { pathNot: engine },
      // Resolved into node_modules, or left as the bare name when the package ships no resolvable types.
      to: { path: `(^|node_modules/)(${module})(/|$)` },
    })),
    // The SDK (backplane/engine) re-exports core and the backends' bases; nothing below it may import it.
    { name: 'sdk-sits-on-backends', severity: 'error', from: { path: '^main/sdk/' }, to: { path: '^main/(services|api|hosts)/' } },
    { name: 'sdk-is-not-imported-below', severity: 'error', from: { path: '^main/(core|backends|services)/' }, to: { path: '^main/sdk/' } },
    { name: 'only-the-sdk-location-above', severity: 'error', from: { path: '^main/(api|hosts)/' }, to: { path: '^main/sdk/', pathNot: '^main/sdk/location\\.ts$' } },
    { name: 'core-is-the-bottom', severity: 'error', from: { path: '^main/core/' }, to: { path: '^main/(backends|services|api|hosts)/' } },
    { name: 'backends-below-services', severity: 'error', from: { path: '^main/backends/' }, to: { path: '^main/(services|api|hosts)/' } },
    { name: 'services-below-api', severity: 'error', from: { path: '^main/services/' }, to: { path: '^main/(api|hosts)/' } },
    { name: 'api-below-hosts', severity: 'error', from: { path: '^main/api/' }, to: { path: '^main/hosts/' } },
    { name: 'hosts-do-not-cross', severity: 'error', from: { path: '^main/hosts/(http|cli)/' }, to: { path: '^main/hosts/electron/' } },
    { name: 'electron-only-in-its-host', severity: 'error', from: { path: '^main/', pathNot: '^main/hosts/electron/' }, to: { path: '^node_modules/electron/' } },
    { name: 'renderer-sees-only-the-contract', severity: 'error', from: { path: '^renderer/' }, to: { path: '^main/', pathNot: '^main/(api/contract|core/schemas)/' } },
    { name: 'contract-is-pure', severity: 'error', from: { path: '^main/(api/contract|core/schemas)/' }, to: { dependencyTypes: ['core'] } },
    { name: 'contract-imports-only-schemas', severity: 'error', from: { path: '^main/(api/contract|core/schemas)/' }, to: { path: '^main/', pathNot: '^main/(api/contract|core/schemas)/' } },
    { name: 'preload-is-a-bridge', severity: 'error', from: { path: '^preload/' }, to: { path: '^(main|renderer)/' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
}
