import { BackplaneError, ErrorCode } from '../core/errors'

/** Deeper than any method's input needs; a value nested 5,000 deep overflowed the stack on its way in. */
export const MAX_INPUT_DEPTH = 64

/** Refuses input nested deeper than the limit, walking it without recursion (so the walk itself cannot overflow). */
export function assertInputDepth(input: unknown, max = MAX_INPUT_DEPTH): void {
  const stack: [unknown, number][] = [[input, 0]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!
    if (typeof value !== 'object' || value === null) continue
    if (depth >= max) {
      throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `The input is nested deeper than ${max} levels.`, {
        hint: 'Send flatter data: no method takes values nested this deep.',
        details: { issues: [{ path: [], message: `nested deeper than ${max} levels` }] },
      })
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
  }
}

/**
 * The same limit on JSON text, before it is parsed: JSON.parse of 16 MiB of "[[[[…" takes seconds of the
 * event loop only to be refused afterwards. One pass over the characters, strings skipped.
 */
export function assertJsonTextDepth(text: string, max = MAX_INPUT_DEPTH, wrapping = 0): void {
  const limit = max + wrapping
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // A string: skip to its closing quote, over escapes.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c) i++
        else if (d === 0x22) break
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) assertInputDepth(nested(max + 1), max)
    } else if (c === 0x5d || c === 0x7d) depth--
  }
}

/** A value nested that deep, so the refusal reads the same as for parsed input. */
function nested(depth: number): unknown {
  let value: unknown = 0
  for (let i = 0; i < depth; i++) value = [value]
  return value
}
