import type { ApiError } from '../../api/api-error'

const TRUST_COMMAND = /(npx backplane engines trust \S.*)$/

/** Quotes an argument for a POSIX shell when it needs it, as the server quotes the commands it names. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:@#=+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

/**
 * The command that trusts a custom engine module: the one the server put in the error's hint (it
 * knows the data directory, hence whether `--home` is needed), else engines.trusted's command with
 * the module put in for its `<module>`.
 */
export function trustCommand(spec: string, error: Pick<ApiError, 'hint'> | null, template: string | undefined): string | undefined {
  const fromHint = error?.hint ? TRUST_COMMAND.exec(error.hint)?.[1]?.trim() : undefined
  if (fromHint) return fromHint
  if (!template || spec.trim() === '') return undefined
  const placeholder = template.includes("'<module>'") ? "'<module>'" : '<module>'
  return template.includes(placeholder) ? template.replace(placeholder, shellQuote(spec.trim())) : undefined
}
