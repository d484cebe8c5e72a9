import { BackplaneError, ErrorCode } from '../../core/errors'
import type { HandlerGroup } from '../router'

// Placeholder until the model backend's admin capabilities land (owned by the model-backend work).
const notYet = (): never => {
  throw new BackplaneError(ErrorCode.E_UNSUPPORTED, 'Not built yet.')
}

export const authAdminHandlers: HandlerGroup<
  'auth.users' | 'auth.user' | 'auth.createUser' | 'auth.updateUser' | 'auth.deleteUser' | 'auth.setPassword' | 'auth.groups' | 'auth.saveGroup' | 'auth.deleteGroup' | 'auth.permissions'
> = {
  'auth.users': notYet,
  'auth.user': notYet,
  'auth.createUser': notYet,
  'auth.updateUser': notYet,
  'auth.deleteUser': notYet,
  'auth.setPassword': notYet,
  'auth.groups': notYet,
  'auth.saveGroup': notYet,
  'auth.deleteGroup': notYet,
  'auth.permissions': notYet,
}
