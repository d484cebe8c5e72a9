/**
 * The layering of ARCHITECTURE.md, enforced: imports only go down
 * hosts → api → services → backends → core; the renderer sees only the API contract;
 * electron is imported in main/hosts/electron alone; the contract stays free of Node.
 */
module.exports = {
  forbidden: [
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
