export { LoginService, MAX_LOGINS_PER_SOURCE, auditSource, type LoginAnswer, type LoginAttempt, type LoginServiceOptions } from './login-service'
export { LoginThrottle, DEFAULT_THROTTLE_POLICY, throttleKeys, throttleName, userKey, type ThrottleLock, type ThrottlePolicy } from './login-throttle'
export { AuditStore, AUDIT_FILE, AUDIT_RETENTION, type AuditEntry, type AuditFilter, type AuditOutcome } from './audit-store'
export { AUDIT_CSV_HEADER, AUDIT_EXPORT_MAX, auditCsvRows, auditFileName, auditJsonLines } from './audit-export'
