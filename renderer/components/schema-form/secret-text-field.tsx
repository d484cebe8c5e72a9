import { Button, Group, Paper, Stack, Text, Textarea } from '@mantine/core'
import { IconFileUpload } from '@tabler/icons-react'
import { useRef, useState } from 'react'
import type { FieldProps } from './field-props'
import { SecretDescription, SecretDraftButtons, SecretHeading } from './secret-controls'
import { withDraft } from './secret-status'
import classes from './secret-text-field.module.css'

/** A key or certificate is a few kilobytes; a bigger file is the wrong file. */
const MAX_SECRET_FILE_BYTES = 1024 * 1024

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}.`))
    reader.onload = () => resolve(String(reader.result))
    reader.readAsText(file)
  })
}

/**
 * A multi-line secret (a private key, a certificate): write-only like a password box, typed or
 * pasted (shown as dots unless "Show" is pressed), or loaded from a file, whose text is never put
 * on screen: the form says only which file and how long it is.
 */
export function SecretTextField({ field, state, path, errors, onChange, label }: FieldProps) {
  const picker = useRef<HTMLInputElement>(null)
  const [shown, setShown] = useState(false)
  const [readError, setReadError] = useState<string | null>(null)
  if (state.kind !== 'secret') return null
  const isSet = state.stored !== undefined
  const { draft } = state
  const name = label ?? field.label

  const load = async (file: File | undefined) => {
    setReadError(null)
    if (!file) return
    if (file.size > MAX_SECRET_FILE_BYTES) {
      setReadError(`${file.name} is ${Math.round(file.size / 1024)} KiB: larger than a key or certificate would be.`)
      return
    }
    try {
      const text = await readText(file)
      if (text.trim() === '') setReadError(`${file.name} is empty.`)
      else onChange(withDraft(state, text, file.name), path)
    } catch (error) {
      setReadError((error as Error).message)
    }
  }

  const heading = <SecretHeading field={field} label={label} state={state} />
  const description = <SecretDescription field={field} state={state} />

  return (
    <Stack gap={4}>
      {typeof draft === 'string' && state.file !== undefined ? (
        <Paper withBorder p="xs" role="group" aria-label={name}>
          <Text size="sm" fw={500}>
            {heading}
          </Text>
          <Text size="xs" c="dimmed">
            {description}
          </Text>
          <Text size="sm" mt={4}>
            Loaded from <b>{state.file}</b>: {draft.length.toLocaleString()} characters, not shown. Saved as the new value.
          </Text>
          {errors[path] && (
            <Text size="xs" c="red">
              {errors[path]}
            </Text>
          )}
        </Paper>
      ) : (
        <Textarea
          label={heading}
          description={description}
          inputWrapperOrder={['label', 'description', 'input', 'error']}
          withAsterisk={field.required}
          value={draft ?? ''}
          placeholder={draft === null ? 'will be cleared on save' : isSet ? 'stored; paste or load a new value to replace it' : 'not set: paste it here or load it from a file'}
          autoComplete="off"
          spellCheck={false}
          autosize
          minRows={3}
          maxRows={10}
          error={errors[path]}
          classNames={{ input: shown ? undefined : classes.masked }}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          onChange={(event) => onChange(withDraft(state, event.currentTarget.value), path)}
        />
      )}
      <Group gap="xs">
        <Button size="compact-xs" variant="default" leftSection={<IconFileUpload size={12} />} onClick={() => picker.current?.click()} aria-label={`Load from file… (${name})`}>
          Load from file…
        </Button>
        {typeof draft === 'string' && state.file === undefined && (
          <Button size="compact-xs" variant="subtle" onClick={() => setShown((value) => !value)}>
            {shown ? 'Hide' : 'Show'}
          </Button>
        )}
        <SecretDraftButtons state={state} path={path} name={name} onChange={onChange} />
      </Group>
      {readError && (
        <Text size="xs" c="red" role="alert">
          {readError}
        </Text>
      )}
      <input
        ref={picker}
        type="file"
        hidden
        aria-label={`${name} file`}
        onChange={(event) => {
          const input = event.currentTarget
          void load(input.files?.[0]).finally(() => {
            // The same file picked again is a change too.
            input.value = ''
          })
        }}
      />
    </Stack>
  )
}
