import { CloseButton, Group, Kbd, TextInput } from '@mantine/core'
import { IconSearch } from '@tabler/icons-react'
import { useRef } from 'react'
import { useSlashFocus } from '../../../components/use-slash-focus'
import { appendOperator } from './search-operators'
import { SearchHelp } from './search-help'

interface SearchBoxProps {
  value: string
  onChange: (value: string) => void
  /** The server's objection to the search (an unknown operator), shown under the box. */
  error?: string | undefined
}

/** The outbox search: `/` jumps here from anywhere on the page, Esc clears it (and leaves it when empty). */
export function SearchBox({ value, onChange, error }: SearchBoxProps) {
  const input = useRef<HTMLInputElement>(null)

  useSlashFocus(input, { whileDialogOpen: true })

  const pick = (insert: string) => {
    const next = appendOperator(value, insert)
    onChange(next.query)
    requestAnimationFrame(() => {
      input.current?.focus()
      input.current?.setSelectionRange(next.caret, next.caret)
    })
  }

  return (
    <TextInput
      ref={input}
      style={{ flex: 1, minWidth: 220 }}
      aria-label="Search messages"
      placeholder="Search: words, from:, to:, subject:, has:attachment, is:unread…"
      leftSection={<IconSearch size={14} />}
      rightSectionWidth={value ? 64 : 72}
      rightSection={
        <Group gap={2} wrap="nowrap">
          {value ? <CloseButton size="sm" aria-label="Clear the search" onClick={() => onChange('')} /> : <Kbd size="xs">/</Kbd>}
          <SearchHelp onPick={pick} />
        </Group>
      }
      value={value}
      error={error}
      spellCheck={false}
      onChange={(event) => onChange(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return
        if (value) onChange('')
        else event.currentTarget.blur()
      }}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
    />
  )
}
