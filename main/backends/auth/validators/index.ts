import { commonPasswords } from './common-passwords'
import { pyIsDigit, pyLen, pyStrip, splitOnNonWord } from './python-text'
import { exceedsMaximumLengthRatio, quickRatio } from './similarity'

/** One validator's objection, as Django's ValidationError carries it: the validator's class, its code, its message. */
export interface PasswordProblem {
  validator: string
  code: string
  message: string
}

/** The user attributes Django's UserAttributeSimilarityValidator compares (username, first_name, last_name, email). */
export interface PasswordUser {
  username?: string
  email?: string
  firstName?: string
  lastName?: string
}

const MIN_LENGTH = 8
const MAX_SIMILARITY = 0.7
// The attributes in Django's order, with the verbose_name of each field of django.contrib.auth's User.
const USER_ATTRIBUTES: [keyof PasswordUser, string][] = [
  ['username', 'username'],
  ['firstName', 'first name'],
  ['lastName', 'last name'],
  ['email', 'email address'],
]

function similarAttribute(password: string, user: PasswordUser | undefined): string | undefined {
  if (!user) return undefined
  const lowered = password.toLowerCase()
  for (const [attribute, verboseName] of USER_ATTRIBUTES) {
    const value = user[attribute]
    if (!value) continue
    const valueLower = value.toLowerCase()
    for (const part of [...splitOnNonWord(valueLower), valueLower]) {
      if (exceedsMaximumLengthRatio(lowered, MAX_SIMILARITY, part)) continue
      if (quickRatio(lowered, part) >= MAX_SIMILARITY) return verboseName
    }
  }
  return undefined
}

/**
 * Django's default AUTH_PASSWORD_VALIDATORS (the startproject settings), in their order, with Django's
 * codes and English messages: every objection, not just the first, as validate_password() collects them.
 */
export async function validatePassword(password: string, user?: PasswordUser): Promise<PasswordProblem[]> {
  const problems: PasswordProblem[] = []
  const similar = similarAttribute(password, user)
  if (similar) problems.push({ validator: 'UserAttributeSimilarityValidator', code: 'password_too_similar', message: `The password is too similar to the ${similar}.` })
  if (pyLen(password) < MIN_LENGTH) {
    problems.push({ validator: 'MinimumLengthValidator', code: 'password_too_short', message: `This password is too short. It must contain at least ${MIN_LENGTH} characters.` })
  }
  if ((await commonPasswords()).has(pyStrip(password.toLowerCase()))) {
    problems.push({ validator: 'CommonPasswordValidator', code: 'password_too_common', message: 'This password is too common.' })
  }
  if (pyIsDigit(password)) problems.push({ validator: 'NumericPasswordValidator', code: 'password_entirely_numeric', message: 'This password is entirely numeric.' })
  return problems
}
