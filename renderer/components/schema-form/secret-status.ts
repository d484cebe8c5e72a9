import type { FieldState } from './field-state'

type SecretState = Extract<FieldState, { kind: 'secret' }>

/** What a write-only field says about its value: all the renderer may ever know of a stored one. */
export function secretStatus(state: SecretState): { text: string; color: string } {
  if (state.draft === null) return { text: 'will be cleared', color: 'orange' }
  if (state.draft) return { text: 'new value', color: 'indigo' }
  return state.stored !== undefined ? { text: 'set', color: 'teal' } : { text: 'not set', color: 'gray' }
}

/** The state after typing (an empty box keeps what is stored), Keep stored / Undo, or Clear. */
export function withDraft(state: SecretState, draft: string | null | undefined, file?: string): SecretState {
  const { draft: _draft, file: _file, ...rest } = state
  return { ...rest, ...(draft === undefined || draft === '' ? {} : { draft }), ...(file !== undefined && draft ? { file } : {}) }
}
