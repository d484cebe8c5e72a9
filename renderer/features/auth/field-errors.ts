import { ApiError } from '../../api/api-error'
import { ErrorCode } from '../../../main/api/contract'

/** The first message per top-level field of a refused input (E_INVALID_INPUT's details.issues). */
/** `conflictField` names the field a conflict is about (a taken username or group name). */
export function fieldErrors(error: unknown, conflictField?: string): Record<string, string> {
  if (error === null || error === undefined) return {}
  const errors: Record<string, string> = {}
  for (const issue of ApiError.from(error).issues) {
    const field = issue.path[0]
    if (field !== undefined && errors[field] === undefined) errors[field] = issue.message
  }
  // The validators' refusal belongs under the password field, one line per problem.
  const problems = passwordProblems(error)
  if (problems.length > 0) errors.password = problems.join(' ')
  // A taken name is that field's problem, not the form's.
  if (conflictField && ApiError.from(error).code === ErrorCode.E_CONFLICT && errors[conflictField] === undefined) errors[conflictField] = ApiError.from(error).message
  return errors
}

function passwordProblems(error: unknown): string[] {
  const apiError = ApiError.from(error)
  if (apiError.code !== ErrorCode.E_PASSWORD_INVALID) return []
  const problems = (apiError.details as { problems?: unknown } | null | undefined)?.problems
  if (!Array.isArray(problems)) return [apiError.message]
  return problems.flatMap((problem: unknown) => {
    const message = (problem as { message?: unknown } | null)?.message
    return typeof message === 'string' ? [message] : []
  })
}

/** Whether the form shows the whole error by the fields it has, so its form-level alert is not needed. */
export function isShownByFields(error: unknown, shown: readonly string[], conflictField?: string): boolean {
  const fields = Object.keys(fieldErrors(error, conflictField))
  return fields.length > 0 && fields.every((field) => shown.includes(field))
}
