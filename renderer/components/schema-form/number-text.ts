const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/

/**
 * A number as typed: the value when the whole text is one, else why not. Nothing is rounded or
 * dropped ("1.5" in a whole-number field, "abc", "12px" are refused), so what is saved is what was typed.
 */
export function parseNumberText(text: string, integer: boolean): { value: number } | { error: string } {
  const trimmed = text.trim()
  if (!NUMBER.test(trimmed)) return { error: integer ? 'Enter a whole number.' : 'Enter a number.' }
  const value = Number(trimmed)
  if (!Number.isFinite(value)) return { error: 'Enter a number.' }
  if (integer && !Number.isInteger(value)) return { error: 'Enter a whole number.' }
  return { value }
}
