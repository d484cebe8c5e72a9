import { z } from 'zod'
import { ErrorPayload } from '../../core/schemas/error'
import { method } from './define'

export const AuthUserView = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  isActive: z.boolean(),
  isStaff: z.boolean(),
  isSuperuser: z.boolean(),
  lastLogin: z.string().nullable().optional(),
  dateJoined: z.string().optional(),
  groups: z.array(z.string()).optional(),
})

export const AuthRefusalView = z.enum(['skipped', 'unknown-user', 'bad-password', 'inactive', 'unusable-password', 'denied', 'error'])

/** One backend's answer in the chain: its outcome, in the words of the login tester, and how long it took. */
export const ChainAttemptView = z.object({
  alias: z.string(),
  engine: z.string(),
  outcome: z.union([z.literal('success'), AuthRefusalView]),
  message: z.string().optional(),
  ms: z.number(),
  error: ErrorPayload.optional(),
})

export const AuthGroupView = z.object({ id: z.string(), name: z.string(), permissions: z.array(z.string()), userCount: z.number() })
export const AuthPermissionView = z.object({ id: z.string(), perm: z.string(), name: z.string(), appLabel: z.string(), model: z.string(), codename: z.string() })

export const AuthUserDetailView = z.object({
  user: AuthUserView,
  groups: z.array(z.string()),
  permissions: z.array(z.string()),
  password: z.object({ usable: z.boolean(), algorithm: z.string().nullable() }),
})

export const HashInspectionView = z.object({
  algorithm: z.string(),
  /** Whether Backplane has a hasher for it (an unknown one is still split into its fields). */
  known: z.boolean(),
  usable: z.boolean(),
  /** What the hash says of itself: iterations, memory cost, rounds, work factor, variant, version. */
  parameters: z.record(z.string(), z.union([z.string(), z.number()])),
  salt: z.string().nullable(),
  /** The hash with all but its first characters masked, as Django's safe_summary(). */
  hashMasked: z.string().nullable(),
  /** Django's must_update(): logging in with this hash would re-hash the password. */
  mustUpdate: z.boolean(),
  /** Why it would be upgraded ("600000 iterations, the preferred hasher uses 1200000"), one line each. */
  reasons: z.array(z.string()),
  /** The hasher new passwords are made with. */
  preferred: z.string(),
  /** What is wrong with a malformed hash, when it is. */
  problem: z.string().optional(),
})

export const PasswordProblemView = z.object({
  /** Django's validator class name: MinimumLengthValidator, CommonPasswordValidator, NumericPasswordValidator, UserAttributeSimilarityValidator. */
  validator: z.string(),
  /** Django's error code: password_too_short, password_too_common, password_entirely_numeric, password_too_similar. */
  code: z.string(),
  message: z.string(),
})

/** What the audit log records of an attempt: the chain's outcome, or `throttled` when no backend was asked. */
export const AuditOutcomeView = z.union([z.literal('success'), z.literal('throttled'), AuthRefusalView])

export const AuditEntryView = z.object({
  id: z.number(),
  /** ISO 8601 */
  time: z.string(),
  username: z.string(),
  /** The caller's own source (peer address, "desktop", "cli"), then the label the input named in brackets: "127.0.0.1 (login tester)". */
  source: z.string(),
  /** The alias that answered last (the one that accepted, or that denied), null when none did. */
  alias: z.string().nullable(),
  outcome: AuditOutcomeView,
  reason: z.string(),
  ms: z.number(),
})

export const ThrottleLockView = z.object({
  /** "user:ada" or "source:127.0.0.1" */
  key: z.string(),
  failures: z.number(),
  /** ISO 8601; logins for this key are refused until then. */
  lockedUntil: z.string().nullable(),
})

const Alias = z.string().max(200).default('default')
const Username = z.string().min(1, 'Enter a username.').max(150, 'Django usernames have at most 150 characters.')
// A password of megabytes would only make each hasher work harder; Django's forms take far less.
const Password = z.string().max(4096, 'A password of more than 4096 characters is refused.')
const Perm = z.string().max(400).regex(/^[^.\s]+\.[^\s]+$/, 'A permission is "app_label.codename".')
const Perms = z.array(Perm).max(10_000)
const GroupNames = z.array(z.string().min(1).max(150)).max(10_000)
const Id = z.string().min(1).max(64)
const UserFields = {
  email: z.string().max(254).optional(),
  firstName: z.string().max(150).optional(),
  lastName: z.string().max(150).optional(),
  isStaff: z.boolean().optional(),
  isSuperuser: z.boolean().optional(),
  isActive: z.boolean().optional(),
  groups: GroupNames.optional(),
  permissions: Perms.optional(),
}
const AuditFilter = {
  username: z.string().max(150).optional(),
  outcome: AuditOutcomeView.optional(),
  alias: z.string().max(200).optional(),
  source: z.string().max(200).optional(),
  /** ISO 8601 bounds */
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
}
const Ok = z.object({ ok: z.literal(true) })

export const authMethods = {
  'auth.authenticate': method({
    description:
      'Django authenticate() over every auth alias in order: the first that accepts wins, a denial stops the chain. Answers each attempt, the user and their permissions; throttled after repeated failures, and written to the audit log.',
    input: z.object({
      username: Username,
      password: Password,
      /**
       * A label for the audit log ("login tester"), shown after the caller's own source: "127.0.0.1 (login tester)".
       * The throttle never counts it: it counts the caller's source as the door says (the peer's address over
       * HTTP and WebSocket, "desktop", "cli"), whatever this names.
       */
      source: z.string().max(200).optional(),
    }),
    output: z.object({
      user: AuthUserView.nullable(),
      alias: z.string().nullable(),
      attempts: z.array(ChainAttemptView),
      /** The user's permission set over every backend (Django's user.get_all_permissions()). */
      permissions: z.array(z.string()),
      /** The stored hash was re-hashed with the preferred hasher (Django's upgrade on login). */
      upgraded: z.boolean(),
    }),
  }),
  'auth.userPermissions': method({
    description: "A user's permissions over every backend of the chain: their own, their groups', all, as Django's User methods.",
    input: z.object({ alias: Alias, username: Username }),
    output: z.object({ user: AuthUserView, userPermissions: z.array(z.string()), groupPermissions: z.array(z.string()), allPermissions: z.array(z.string()) }),
  }),
  'auth.hasPerm': method({
    description: "Django's user.has_perm() and has_module_perms(): an active superuser has every permission; otherwise any backend may grant it.",
    input: z.object({ alias: Alias, username: Username, perm: Perm }),
    output: z.object({ hasPerm: z.boolean(), hasModulePerms: z.boolean() }),
  }),
  'auth.withPerm': method({
    description: "Django's ModelBackend.with_perm(): the users that have a permission, by their own, a group's, or as superusers.",
    input: z.object({ alias: Alias, perm: Perm, isActive: z.boolean().default(true), includeSuperusers: z.boolean().default(true), limit: z.number().int().min(1).max(1000).default(200) }),
    output: z.object({ users: z.array(AuthUserView) }),
  }),

  'auth.users': method({
    description: 'Users of an auth alias that owns its users (the model backend), searched and filtered.',
    input: z.object({
      alias: Alias,
      search: z.string().max(200).default(''),
      isActive: z.boolean().optional(),
      isStaff: z.boolean().optional(),
      isSuperuser: z.boolean().optional(),
      group: z.string().max(150).optional(),
      limit: z.number().int().min(1).max(1000).default(100),
      offset: z.number().int().min(0).max(1_000_000_000).default(0),
    }),
    output: z.object({ users: z.array(AuthUserView), total: z.number() }),
  }),
  'auth.user': method({
    description: 'One user with their groups, direct permissions and password algorithm.',
    input: z.object({ alias: Alias, id: Id }),
    output: AuthUserDetailView,
  }),
  'auth.createUser': method({
    description: "Creates a user; the password is checked by Django's validators (unless skipValidation) and hashed with the preferred hasher, or left unusable.",
    input: z.object({ alias: Alias, username: Username, password: Password.optional(), skipValidation: z.boolean().default(false), ...UserFields }),
    output: AuthUserView,
  }),
  'auth.updateUser': method({
    description: "Changes a user's profile, flags, groups or direct permissions; fields left out stay.",
    input: z.object({ alias: Alias, id: Id, username: Username.optional(), ...UserFields }),
    output: AuthUserView,
  }),
  'auth.deleteUser': method({
    description: 'Deletes a user, with their group memberships and permissions.',
    input: z.object({ alias: Alias, id: Id }),
    output: Ok,
  }),
  'auth.setPassword': method({
    description: "Sets a new password (checked by Django's validators unless skipValidation), or, with unusable, an unusable one.",
    input: z.object({
      alias: Alias,
      username: Username,
      password: Password.min(1, 'Enter a password.').optional(),
      unusable: z.boolean().default(false),
      skipValidation: z.boolean().default(false),
    }),
    output: Ok,
  }),
  'auth.groups': method({
    description: 'The groups of an auth alias, with their permissions and member counts.',
    input: z.object({ alias: Alias }),
    output: z.object({ groups: z.array(AuthGroupView) }),
  }),
  'auth.saveGroup': method({
    description: 'Creates a group (no id) or renames one and replaces its permissions.',
    input: z.object({ alias: Alias, id: Id.optional(), name: z.string().min(1, 'Enter a group name.').max(150), permissions: Perms.default([]) }),
    output: AuthGroupView,
  }),
  'auth.deleteGroup': method({
    description: 'Deletes a group; its members stay, without it.',
    input: z.object({ alias: Alias, id: Id }),
    output: Ok,
  }),
  'auth.permissions': method({
    description: 'Every permission of an auth alias (auth_permission with its content type).',
    input: z.object({ alias: Alias }),
    output: z.object({ permissions: z.array(AuthPermissionView) }),
  }),

  'auth.inspectHash': method({
    description: "Reads a Django password hash: algorithm, parameters, salt, and whether a login would upgrade it. Never verifies anything.",
    input: z.object({ encoded: z.string().min(1, 'Paste a password hash.').max(10_000), alias: z.string().max(200).optional() }),
    output: HashInspectionView,
  }),
  'auth.validatePassword': method({
    description: "Django's default password validators on a password: minimum length, common passwords, all numeric, similarity to the user's attributes.",
    input: z.object({
      password: Password,
      user: z.object({ username: z.string().max(150).optional(), email: z.string().max(254).optional(), firstName: z.string().max(150).optional(), lastName: z.string().max(150).optional() }).default({}),
    }),
    output: z.object({ ok: z.boolean(), problems: z.array(PasswordProblemView) }),
  }),

  'auth.audit': method({
    description: 'The audit log of login attempts, newest first: time, username, source, backend, outcome and reason (never a password).',
    input: z.object({ ...AuditFilter, limit: z.number().int().min(1).max(1000).default(100), beforeId: z.number().int().min(1).optional() }),
    output: z.object({ entries: z.array(AuditEntryView), total: z.number() }),
  }),
  'auth.auditExport': method({
    description: 'The audit log (filtered as auth.audit) as CSV or JSON Lines, at most 100,000 entries.',
    input: z.object({ ...AuditFilter, format: z.enum(['csv', 'jsonl']).default('csv') }),
    output: z.object({ filename: z.string(), contentType: z.string(), text: z.string(), count: z.number(), truncated: z.boolean() }),
  }),
  'auth.throttle': method({
    description: 'Usernames and sources that failed to log in lately, and until when each is locked out.',
    input: z.object({}).default({}),
    output: z.object({ locks: z.array(ThrottleLockView), policy: z.object({ freeFailures: z.number(), baseDelayMs: z.number(), maxDelayMs: z.number() }) }),
  }),
  'auth.clearThrottle': method({
    description: 'Lifts the lockout of one key ("user:ada", "source:…"), or of all when no key is given.',
    input: z.object({ key: z.string().max(400).optional() }),
    output: z.object({ cleared: z.number() }),
  }),
}
