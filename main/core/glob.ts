import { BackplaneError, ErrorCode } from './errors'

type Token = { kind: 'char'; char: string } | { kind: 'any' } | { kind: 'star' } | { kind: 'class'; negated: boolean; items: (string | [string, string])[] }

const MAX_PATTERN = 1024

/**
 * A glob as Redis SCAN MATCH reads it (`*`, `?`, `[abc]`, `[a-z]`, `[^a]`, `\` escapes), matched by
 * walking pattern and text once with one remembered star: at most pattern × text steps, never the
 * exponential backtracking a regular expression does on `*a*a*a*…b` (which once held the whole
 * process for 35 s over a 40-character key).
 */
export function globMatcher(pattern: string): (text: string) => boolean {
  if (pattern.length > MAX_PATTERN) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `The pattern is ${pattern.length} characters long; at most ${MAX_PATTERN} are allowed.`, { hint: 'Use a shorter pattern.' })
  }
  const tokens = compact(parse(pattern))
  return (text) => matches(tokens, [...text])
}

function parse(pattern: string): Token[] {
  const chars = [...pattern]
  const tokens: Token[] = []
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    if (c === '*') tokens.push({ kind: 'star' })
    else if (c === '?') tokens.push({ kind: 'any' })
    else if (c === '\\' && i + 1 < chars.length) tokens.push({ kind: 'char', char: chars[++i]! })
    else if (c === '[') {
      const parsed = parseClass(chars, i)
      if (parsed) {
        tokens.push(parsed.token)
        i = parsed.end
      } else tokens.push({ kind: 'char', char: '[' })
    } else tokens.push({ kind: 'char', char: c })
  }
  return tokens
}

/** `[abc]`, `[a-z]`, `[^a]` as Redis reads them: the first "]" closes; an unclosed "[" is a literal. */
function parseClass(chars: string[], open: number): { token: Token; end: number } | undefined {
  let i = open + 1
  const negated = chars[i] === '^'
  if (negated) i++
  const items: (string | [string, string])[] = []
  for (; i < chars.length; i++) {
    let c = chars[i]!
    if (c === ']') return { token: { kind: 'class', negated, items }, end: i }
    if (c === '\\' && i + 1 < chars.length) c = chars[++i]!
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      let to = chars[i + 2]!
      i += 2
      if (to === '\\' && i + 1 < chars.length) to = chars[++i]!
      items.push(c <= to ? [c, to] : [to, c])
    } else items.push(c)
  }
  return undefined
}

/** Runs of stars are one star. */
function compact(tokens: Token[]): Token[] {
  return tokens.filter((t, i) => !(t.kind === 'star' && tokens[i - 1]?.kind === 'star'))
}

function one(token: Token, c: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.char === c
    case 'any':
      return true
    case 'class': {
      const hit = token.items.some((item) => (typeof item === 'string' ? item === c : c >= item[0] && c <= item[1]))
      return hit !== token.negated
    }
    default:
      return false
  }
}

function matches(tokens: Token[], text: string[]): boolean {
  let t = 0
  let p = 0
  let starAt = -1
  let resumeAt = 0
  while (t < text.length) {
    const token = tokens[p]
    if (token && token.kind !== 'star' && one(token, text[t]!)) {
      p++
      t++
    } else if (token?.kind === 'star') {
      starAt = p++
      resumeAt = t
    } else if (starAt !== -1) {
      // Let the last star take one more character and try the rest from there.
      p = starAt + 1
      t = ++resumeAt
    } else return false
  }
  while (tokens[p]?.kind === 'star') p++
  return p === tokens.length
}
