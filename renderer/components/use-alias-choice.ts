import { useState } from 'react'
import type { Kind } from '../../main/api/contract'
import { useApiQuery } from '../api/hooks'

/**
 * Which alias of a kind a page works on. Remembered per tab (sessionStorage), so switching pages
 * and coming back keeps it; falls back to "default", else the first alias, when the remembered one
 * was deleted or renamed.
 */
export function useAliasChoice(kind: Kind) {
  const storageKey = `backplane.alias.${kind}`
  const settings = useApiQuery('settings.get', {})
  const aliases = (settings.data?.aliases ?? []).filter((alias) => alias.kind === kind)
  const [chosen, setChosen] = useState<string | null>(() => sessionStorage.getItem(storageKey))
  const names = aliases.map((alias) => alias.name)
  const alias = chosen !== null && names.includes(chosen) ? chosen : names.includes('default') ? 'default' : (names[0] ?? null)
  const choose = (name: string) => {
    sessionStorage.setItem(storageKey, name)
    setChosen(name)
  }
  return { alias, aliases, choose, settings }
}
