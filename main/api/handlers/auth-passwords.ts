import { BackplaneError, ErrorCode } from '../../core/errors'
import type { HandlerGroup } from '../router'

// Placeholder until the hashers and validators land (owned by the hasher work).
const notYet = (): never => {
  throw new BackplaneError(ErrorCode.E_UNSUPPORTED, 'Not built yet.')
}

export const authPasswordHandlers: HandlerGroup<'auth.inspectHash' | 'auth.validatePassword'> = {
  'auth.inspectHash': notYet,
  'auth.validatePassword': notYet,
}
