import type { ComboboxItem, ComboboxParsedItem, OptionsFilter } from '@mantine/core'
import type { AuthPermission } from '../types'

/** Options grouped by app label, as Django's admin lists them; the label is the permission's name. */
export function groupByApp(permissions: readonly AuthPermission[]) {
  const apps = new Map<string, ComboboxItem[]>()
  for (const permission of permissions) {
    const items = apps.get(permission.appLabel) ?? []
    items.push({ value: permission.perm, label: `${permission.name} (${permission.perm})` })
    apps.set(permission.appLabel, items)
  }
  return [...apps].sort(([a], [b]) => a.localeCompare(b)).map(([group, items]) => ({ group, items }))
}

// Every word typed must appear, in the name or the app_label.codename, in any order ("add user", "auth.view").
export const matchWords: OptionsFilter = ({ options, search }) => {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean)
  const keep = (item: ComboboxParsedItem): ComboboxParsedItem[] => {
    if ('group' in item) {
      const items = item.items.flatMap(keep) as ComboboxItem[]
      return items.length ? [{ ...item, items }] : []
    }
    const text = item.label.toLowerCase()
    return words.every((word) => text.includes(word)) ? [item] : []
  }
  return options.flatMap(keep)
}
