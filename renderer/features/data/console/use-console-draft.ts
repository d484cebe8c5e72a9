import { useCallback, useEffect, useRef, useState } from 'react'

const SAVE_AFTER_MS = 400

/**
 * The editor's text per alias, kept in localStorage as it is typed, so a reload, another page or a
 * restart of the app finds it where it was left (as TablePlus and DBeaver keep their editors).
 */
export function useConsoleDraft(alias: string) {
  const key = `backplane.console.draft.${alias}`
  const [initial] = useState(() => {
    try {
      return localStorage.getItem(key) ?? ''
    } catch {
      return ''
    }
  })
  const pending = useRef<{ text: string; timer: ReturnType<typeof setTimeout> } | null>(null)

  const write = useCallback(
    (text: string) => {
      try {
        if (text === '') localStorage.removeItem(key)
        else localStorage.setItem(key, text)
      } catch {
        /* storage full or disabled: the draft is just not kept */
      }
    },
    [key],
  )

  const save = useCallback(
    (text: string) => {
      if (pending.current) clearTimeout(pending.current.timer)
      pending.current = { text, timer: setTimeout(() => write(text), SAVE_AFTER_MS) }
    },
    [write],
  )

  useEffect(
    () => () => {
      if (!pending.current) return
      clearTimeout(pending.current.timer)
      write(pending.current.text)
    },
    [write],
  )

  return { initial, save }
}
