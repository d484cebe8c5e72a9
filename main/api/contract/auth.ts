import { z } from 'zod'
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

const Alias = z.string().default('default')

export const authMethods = {
  'auth.authenticate': method({
    description: 'Tries a username and password against every auth alias in order, saying what each one answered.',
    input: z.object({ username: z.string().min(1, 'Enter a username.'), password: z.string() }),
    output: z.object({
      user: AuthUserView.nullable(),
      alias: z.string().nullable(),
      attempts: z.array(
        z.object({
          alias: z.string(),
          ok: z.boolean(),
          reason: z.enum(['unknown-user', 'bad-password', 'inactive', 'unusable-password', 'error']).optional(),
          message: z.string().optional(),
          error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional(), details: z.unknown().optional() }).optional(),
        }),
      ),
    }),
  }),
  'auth.users': method({
    description: 'Users of an auth alias that owns its users (the model backend).',
    input: z.object({ alias: Alias, search: z.string().default(''), limit: z.number().int().min(1).max(1000).default(100), offset: z.number().int().min(0).default(0) }),
    output: z.object({ users: z.array(AuthUserView), total: z.number() }),
  }),
  'auth.createUser': method({
    description: "Creates a user; the password is hashed with Django's preferred hasher.",
    input: z.object({
      alias: Alias,
      username: z.string().min(1, 'Enter a username.').max(150),
      password: z.string().optional(),
      email: z.string().optional(),
      firstName: z.string().optional(),
      lastName: z.string().optional(),
      isStaff: z.boolean().optional(),
      isSuperuser: z.boolean().optional(),
      isActive: z.boolean().optional(),
    }),
    output: AuthUserView,
  }),
  'auth.setPassword': method({
    description: 'Sets a new password for a user.',
    input: z.object({ alias: Alias, username: z.string().min(1), password: z.string().min(1, 'Enter a password.') }),
    output: z.object({ ok: z.literal(true) }),
  }),
}
