import type { MethodOutput } from '../../../../main/api/contract'

type Problem = MethodOutput<'auth.validatePassword'>['problems'][number]

/**
 * Django's default AUTH_PASSWORD_VALIDATORS, in its order. The API names only the ones that object,
 * so the ones that pass are listed from here; a validator not in this list shows when it objects.
 */
const DJANGO_VALIDATORS = [
  { validator: 'MinimumLengthValidator', passes: 'Long enough' },
  { validator: 'CommonPasswordValidator', passes: 'Not a common password' },
  { validator: 'NumericPasswordValidator', passes: 'Not entirely numeric' },
  { validator: 'UserAttributeSimilarityValidator', passes: 'Not too similar to the username, email or name' },
]

export interface ChecklistLine {
  validator: string
  ok: boolean
  message: string
}

/** One line per validator: what passing means, or every message it objected with. */
export function checklistLines(problems: readonly Problem[]): ChecklistLine[] {
  const known = DJANGO_VALIDATORS.map(({ validator, passes }) => {
    const objections = problems.filter((problem) => problem.validator === validator)
    return { validator, ok: objections.length === 0, message: objections.map((problem) => problem.message).join(' ') || passes }
  })
  const others = problems.filter((problem) => !DJANGO_VALIDATORS.some((d) => d.validator === problem.validator)).map((problem) => ({ validator: problem.validator, ok: false, message: problem.message }))
  return [...known, ...others]
}
