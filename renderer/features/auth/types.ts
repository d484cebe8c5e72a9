import type { MethodOutput } from '../../../main/api/contract'

export type AuthUser = MethodOutput<'auth.users'>['users'][number]
export type AuthUserDetail = MethodOutput<'auth.user'>
export type AuthGroup = MethodOutput<'auth.groups'>['groups'][number]
export type AuthPermission = MethodOutput<'auth.permissions'>['permissions'][number]
export type LoginResult = MethodOutput<'auth.authenticate'>
export type ChainAttempt = LoginResult['attempts'][number]
export type AuditEntry = MethodOutput<'auth.audit'>['entries'][number]
export type HashInspection = MethodOutput<'auth.inspectHash'>
