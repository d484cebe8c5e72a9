import { parseArgs } from 'node:util'
import { toBackplaneError } from '../../core/errors'
import { callCommand } from './call-command'
import { checkCommand } from './check-command'
import { configCommand } from './config-command'
import { enginesCommand } from './engines-command'
import { EXPORT_USAGE, exportCommand } from './export-command'
import { serveCommand } from './serve-command'
import { testEngineCommand } from './test-engine-command'
import { version } from '../../../package.json'

const USAGE = `Usage: backplane <command>

  serve [--host 127.0.0.1] [--port N] [--smtp-port N] [--allow-remote] [--open] [--new-token]
                          serve the GUI and API on loopback (prints the URL with its token, which
                          is kept in the data directory; --new-token replaces it)
  call <method> [json] [--local]
                          run one API method and print its JSON output: in the app running on this
                          data directory when there is one, else (or with --local) in this process
  check [--json] [--local]
                          run every alias's health check, the same way; exit 0 only if all pass
${EXPORT_USAGE}
  config show|validate    print the settings (secrets as references) or check them
  engines trust <module>  allow a custom engine module, exactly as it is now, to run in Backplane
  engines untrust <module> | engines list [--json]
  test-engine <module> --kind <kind> [--options JSON] [--timeout S] [--json]
                          run the kind's contract suite against an engine; exit 1 on a failure

  --home DIR              the data directory (the same as BACKPLANE_HOME)

Environment: BACKPLANE_HOME (data directory), BACKPLANE_TOKEN (fixed token for serve).
`

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      'smtp-port': { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      open: { type: 'boolean', default: false },
      'new-token': { type: 'boolean', default: false },
      local: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      home: { type: 'string' },
      kind: { type: 'string' },
      options: { type: 'string' },
      timeout: { type: 'string' },
      alias: { type: 'string' },
      table: { type: 'string' },
      schema: { type: 'string' },
      sql: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      progress: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      version: { type: 'boolean', short: 'v', default: false },
    },
  })
  const [command, ...rest] = positionals
  if (values.home) process.env.BACKPLANE_HOME = values.home
  if (values.version) {
    process.stdout.write(`${version}\n`)
    return 0
  }
  if (values.help || !command) {
    process.stdout.write(USAGE)
    return command || values.help ? 0 : 2
  }
  switch (command) {
    case 'serve':
      await serveCommand({
        host: values.host,
        port: portOption('--port', values.port),
        smtpPort: portOption('--smtp-port', values['smtp-port']),
        allowRemote: values['allow-remote'],
        open: values.open,
        newToken: values['new-token'],
      })
      return -1
    case 'call':
      if (!rest[0]) return usageError('call needs a method name, e.g. backplane call system.info')
      return callCommand(rest[0], rest[1], { local: values.local })
    case 'check':
      return checkCommand(values.json, { local: values.local })
    case 'export':
      return exportCommand({ what: rest[0], alias: values.alias, table: values.table, schema: values.schema, sql: values.sql, format: values.format, out: values.out, progress: values.progress })
    case 'config':
      if (rest[0] !== 'show' && rest[0] !== 'validate') return usageError('config takes "show" or "validate"')
      return configCommand(rest[0])
    case 'engines':
      return enginesCommand(rest[0], rest[1], values.json)
    case 'test-engine':
      if (!rest[0]) return usageError('test-engine needs a module, e.g. backplane test-engine ./my-cache.mjs#MyCache --kind cache')
      return testEngineCommand({ spec: rest[0], kind: values.kind, options: values.options, json: values.json, timeout: values.timeout })
    default:
      return usageError(`unknown command "${command}"`)
  }
}

function portOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${flag} must be a port number from 0 to 65535, not "${value}".`)
  return port
}

function usageError(message: string): number {
  process.stderr.write(`backplane: ${message}\n\n${USAGE}`)
  return 2
}

// Run when executed (node out/main/cli.js, or bin/backplane.mjs importing this module).
main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code
  },
  (err: unknown) => {
    const error = toBackplaneError(err)
    process.stderr.write(`backplane: ${error.message}${error.hint ? `\n  hint: ${error.hint}` : ''}\n`)
    process.exitCode = 1
  },
)
