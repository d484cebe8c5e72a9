import { BackplaneError, ErrorCode } from '../../core/errors'
import type { HandlerGroup } from '../router'

// Placeholder until the chain, throttle and audit land (owned by the login work).
const notYet = (): never => {
  throw new BackplaneError(ErrorCode.E_UNSUPPORTED, 'Not built yet.')
}

export const authHandlers: HandlerGroup<
  'auth.authenticate' | 'auth.userPermissions' | 'auth.hasPerm' | 'auth.withPerm' | 'auth.audit' | 'auth.auditExport' | 'auth.throttle' | 'auth.clearThrottle'
> = {
  'auth.authenticate': notYet,
  'auth.userPermissions': notYet,
  'auth.hasPerm': notYet,
  'auth.withPerm': notYet,
  'auth.audit': notYet,
  'auth.auditExport': notYet,
  'auth.throttle': notYet,
  'auth.clearThrottle': notYet,
}
