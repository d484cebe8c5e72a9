import { useState } from 'react'
import type { AuthUserDetail } from '../types'

export interface UserForm {
  username: string
  email: string
  firstName: string
  lastName: string
  isActive: boolean
  isStaff: boolean
  isSuperuser: boolean
  groups: string[]
  permissions: string[]
}

const formOf = ({ user, groups, permissions }: AuthUserDetail): UserForm => ({
  username: user.username,
  email: user.email ?? '',
  firstName: user.firstName ?? '',
  lastName: user.lastName ?? '',
  isActive: user.isActive,
  isStaff: user.isStaff,
  isSuperuser: user.isSuperuser,
  groups: [...groups].sort(),
  permissions: [...permissions].sort(),
})

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** The editor's draft of a user; `changes` holds only the fields edited, as auth.updateUser takes them. */
export function useUserForm(detail: AuthUserDetail) {
  const [saved, setSaved] = useState(() => formOf(detail))
  const [form, setForm] = useState(saved)
  const changes = Object.fromEntries(Object.entries(form).filter(([field, value]) => !same(value, saved[field as keyof UserForm]))) as Partial<UserForm>
  const set = <F extends keyof UserForm>(field: F, value: UserForm[F]) => setForm((current) => ({ ...current, [field]: value }))
  // After a save, what the server now holds is the new baseline.
  const markSaved = (next: AuthUserDetail) => {
    const fresh = formOf(next)
    setSaved(fresh)
    setForm(fresh)
  }
  return { form, set, changes, dirty: Object.keys(changes).length > 0, markSaved, reset: () => setForm(saved) }
}
