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
