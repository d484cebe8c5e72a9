import { locateCustomModule } from '../../core/engine-module'
import { TrustStore } from '../../core/engine-trust'
import { resolveDataDir } from '../../core/data-dir'
import { BackplaneError, ErrorCode } from '../../core/errors'

/**
 * `backplane engines trust|untrust|list`: the one place, besides the desktop app's own dialog, where a
 * custom engine module becomes allowed to run. It is a command on the user's own terminal on purpose:
 * nothing that reaches the API (the renderer, a serve-token holder) can do it.
 */
export async function enginesCommand(action: string | undefined, spec: string | undefined, json: boolean): Promise<number> {
  const dataDir = resolveDataDir()
  const store = new TrustStore(dataDir)
  switch (action) {
    case 'trust': {
      const module = await locateCustomModule(requireSpec(spec, 'trust'), dataDir)
      const entry = await store.trust(module)
      if (json) process.stdout.write(JSON.stringify(entry, null, 2) + '\n')
      else {
        process.stdout.write(`Trusted ${module.file}\n  sha256 ${module.sha256}\n  for ${dataDir}\n`)
        process.stdout.write('It runs with your rights from now on (a running Backplane picks it up at once); if the file changes, it must be trusted again.\n')
      }
      return 0
    }
    case 'untrust': {
      const given = requireSpec(spec, 'untrust')
      const file = await locateCustomModule(given, dataDir).then(
        (m) => m.file,
        () => given,
      )
      const removed = await store.untrust(file)
      process.stdout.write(removed ? `No longer trusted: ${file}\n` : `${file} was not trusted.\n`)
      return removed ? 0 : 1
    }
    case 'list': {
      const rows = await store.listWithState()
      if (json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n')
      else if (rows.length === 0) process.stdout.write(`No engine module is trusted for ${dataDir}.\nTrust one with: npx backplane engines trust <module>\n`)
      else {
        process.stdout.write(`Trusted engine modules for ${dataDir}:\n`)
        for (const r of rows) process.stdout.write(`  ${r.state === 'trusted' ? 'ok     ' : r.state === 'changed' ? 'CHANGED' : 'MISSING'} ${r.file}\n          ${r.sha256}  (${r.spec}, ${r.trustedAt.slice(0, 10)})\n`)
      }
      return rows.some((r) => r.state !== 'trusted') ? 1 : 0
    }
    default:
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `engines takes "trust <module>", "untrust <module>" or "list", not "${action ?? ''}".`)
  }
}

function requireSpec(spec: string | undefined, action: string): string {
  if (!spec) throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `engines ${action} needs the module, as the alias names it: e.g. ./my-cache.mjs#MyCache`)
  return spec
}
