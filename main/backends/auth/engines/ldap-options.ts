import { z } from 'zod'
import { secretString } from '../../../core/engine'
import { AuthOptions } from '../base'
import { FilterParser } from 'ldapts'
import { hasUserPlaceholder, presenceFilter } from './ldap-escape'

/** One group DN, or several of which any will do (django-auth-ldap's LDAPGroupQuery joined with |). */
const GroupDn = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])

export const GROUP_TYPES = ['groupOfNames', 'groupOfUniqueNames', 'posixGroup'] as const
export type GroupType = (typeof GROUP_TYPES)[number]

/** The options of the ldap engine, named after django-auth-ldap's AUTH_LDAP_* settings (given in each description). */
export const LdapOptions = AuthOptions.extend({
  url: z
    .string()
    .regex(/^ldaps?:\/\/[^/@\s]+\/?$/i, 'Give ldap://host[:port] or ldaps://host[:port] (no user, no path).')
    .describe('The server, ldap://host:389 or ldaps://host:636 (AUTH_LDAP_SERVER_URI).'),
  startTls: z.boolean().default(false).describe('Upgrade the ldap:// connection with StartTLS before anything is sent (AUTH_LDAP_START_TLS).'),
  caFile: z.string().optional().describe('The CA certificate (PEM file) that signed the server certificate, besides the system ones (OPT_X_TLS_CACERTFILE).'),
  rejectUnauthorized: z
    .boolean()
    .default(true)
    .describe('Refuse a server certificate that does not verify. Turn off for a test server only: anyone in between could read the passwords.'),
  timeout: z.number().int().min(100).max(300_000).default(10_000).describe('Milliseconds to wait for the connection and for each answer (OPT_NETWORK_TIMEOUT).'),

  userDnTemplate: z
    .string()
    .refine(hasUserPlaceholder, 'The template needs %(user)s where the username goes.')
    .optional()
    .describe('Direct bind: the DN of a user, e.g. uid=%(user)s,ou=people,dc=example,dc=com (AUTH_LDAP_USER_DN_TEMPLATE). Leave empty to search.'),
  bindDn: z.string().optional().describe('The service account that searches for users, e.g. cn=backplane,ou=services,dc=example,dc=com (AUTH_LDAP_BIND_DN); anonymous when empty.'),
  bindPassword: secretString("The service account's password, kept in the secret store (AUTH_LDAP_BIND_PASSWORD).").optional(),
  userSearchBase: z.string().optional().describe('Search-then-bind: where users are searched, e.g. ou=people,dc=example,dc=com (AUTH_LDAP_USER_SEARCH).'),
  userSearchFilter: z
    .string()
    .refine(hasUserPlaceholder, 'The filter needs %(user)s where the username goes.')
    .refine(isFilter, 'Not an LDAP filter (RFC 4515): check the parentheses, e.g. (&(objectClass=person)(uid=%(user)s)).')
    .default('(uid=%(user)s)')
    .describe('The filter that finds exactly one user; %(user)s is replaced by the escaped username.'),
  userAttrMap: z
    .object({
      firstName: z.string().default('givenName'),
      lastName: z.string().default('sn'),
      email: z.string().default('mail'),
    })
    .default({ firstName: 'givenName', lastName: 'sn', email: 'mail' })
    .describe("The LDAP attribute behind each user field (AUTH_LDAP_USER_ATTR_MAP)."),

  groupSearchBase: z.string().optional().describe("Where the user's groups are searched, e.g. ou=groups,dc=example,dc=com (AUTH_LDAP_GROUP_SEARCH); their cn is the group name."),
  groupType: z.enum(GROUP_TYPES).default('groupOfNames').describe('How groups list their members: member DNs, uniqueMember DNs, or memberUid (AUTH_LDAP_GROUP_TYPE).'),
  requireGroup: z.string().optional().describe('Only members of this group DN may sign in (AUTH_LDAP_REQUIRE_GROUP).'),
  denyGroup: z.string().optional().describe('Members of this group DN may not sign in (AUTH_LDAP_DENY_GROUP).'),
  userFlagsByGroup: z
    .object({ isActive: GroupDn.optional(), isStaff: GroupDn.optional(), isSuperuser: GroupDn.optional() })
    .default({})
    .describe('is_active, is_staff, is_superuser from membership of a group DN (AUTH_LDAP_USER_FLAGS_BY_GROUP). Without an is_active group, users are active.'),

  mirrorTo: z
    .string()
    .optional()
    .describe("A model auth alias that keeps a Django user for each LDAP user who signs in; permissions then come from its groups (AUTH_LDAP_FIND_GROUP_PERMS)."),
  mirrorGroups: z.boolean().default(false).describe("Make the mirrored user's groups exactly their LDAP groups, created when missing (AUTH_LDAP_MIRROR_GROUPS)."),
}).superRefine((o, ctx) => {
  if (!o.userDnTemplate === !o.userSearchBase) {
    ctx.addIssue({ code: 'custom', path: ['userSearchBase'], message: 'Give either a user DN template (direct bind) or a user search base (search, then bind), not both.' })
  }
  if (o.startTls && /^ldaps:/i.test(o.url)) {
    ctx.addIssue({ code: 'custom', path: ['startTls'], message: 'An ldaps:// connection is encrypted from the start: turn StartTLS off, or use ldap://.' })
  }
  if (o.bindPassword && !o.bindDn) ctx.addIssue({ code: 'custom', path: ['bindDn'], message: 'A bind password needs the bind DN it belongs to.' })
  if (o.mirrorGroups && !o.mirrorTo) ctx.addIssue({ code: 'custom', path: ['mirrorTo'], message: 'Mirroring groups needs the model alias to mirror into.' })
  if (o.mirrorGroups && !o.groupSearchBase) ctx.addIssue({ code: 'custom', path: ['groupSearchBase'], message: 'Mirroring groups needs the group search base.' })
})
export type LdapOptions = z.output<typeof LdapOptions>

function isFilter(template: string): boolean {
  try {
    FilterParser.parseString(presenceFilter(template))
    return true
  } catch {
    return false
  }
}

/** The group DNs a flag or requirement names, as a list. */
export function groupDns(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}
