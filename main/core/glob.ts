import { BackplaneError, ErrorCode } from './errors'

type Token = { kind: 'char'; char: string } | { kind: 'any' } | { kind: 'star' } | { kind: 'class'; negated: boolean; items: (string | [string, string])[] }

const MAX_PATTERN = 1024

/**
 * A glob as Redis SCAN MATCH reads it (`*`, `?`, `[abc]`, `[a-z]`, `[^a]`, `\` escapes), matched
 * segment by segment between the stars: at most pattern × text steps, never the exponential
 * backtracking a regular expression does on `*a*a*a*…b` (which once held the whole process for 35 s
 * over a 40-character key).
 */
export function globMatcher(pattern: string): (text: string) => boolean {
  if (pattern.length > MAX_PATTERN) {
    throw new BackplaneError(ErrorCode.E_INVALID_INPUT, `The pattern is ${pattern.length} characters long; at most ${MAX_PATTERN} are allowed.`, { hint: 'Use a shorter pattern.' })
  }
  const segments = splitAtStars(parse(pattern)).map(compileSegment)
  return (text) => matchSegments(segments, text)
}

/**
 * A run of tokens between stars; `literal` when it holds plain characters only (then indexOf does the
 * work), and `anchor`, its longest run of plain characters, which must be in the text for it to match
 * at all (so `???…?b` over a text without "b" is refused in one indexOf, not tried at every place).
 */
interface Segment {
  tokens: readonly Token[]
  literal: string | undefined
  anchor: string
}

function compileSegment(tokens: Token[]): Segment {
  const literal = tokens.every((t) => t.kind === 'char') ? tokens.map((t) => (t as { char: string }).char).join('') : undefined
  let anchor = ''
  let run = ''
  for (const token of tokens) {
    run = token.kind === 'char' ? run + token.char : ''
    if (run.length > anchor.length) anchor = run
  }
  return { tokens, literal, anchor }
}

/** The runs of tokens between stars; runs of stars count as one. */
function splitAtStars(tokens: Token[]): Token[][] {
  const segments: Token[][] = [[]]
  for (const token of tokens) {
    if (token.kind === 'star') segments.push([])
    else segments.at(-1)!.push(token)
  }
  return segments
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

/** Whether the token matches the code point starting at `at`; its width, or 0 for no match. */
function step(token: Token, text: string, at: number): number {
  const code = text.codePointAt(at)!
  const width = code > 0xffff ? 2 : 1
  switch (token.kind) {
    case 'char':
      return text.startsWith(token.char, at) ? token.char.length : 0
    case 'any':
      return width
    case 'class': {
      const c = String.fromCodePoint(code)
      const hit = token.items.some((item) => (typeof item === 'string' ? item === c : c >= item[0] && c <= item[1]))
      return hit !== token.negated ? width : 0
    }
    default:
      return 0
  }
}

/** The width (UTF-16 units) of a segment matched at `at`, or -1: each token takes one code point. */
function matchSegment(segment: Segment, text: string, at: number): number {
  if (segment.literal !== undefined) return text.startsWith(segment.literal, at) ? segment.literal.length : -1
  let t = at
  for (const token of segment.tokens) {
    if (t >= text.length) return -1
    const width = step(token, text, t)
    if (width === 0) return -1
    t += width
  }
  return t - at
}

/**
 * `seg0*seg1*…*segN`: seg0 at the start, segN at the end, each one between at its leftmost place after the
 * one before (a star can take anything, so the leftmost place never loses a match). Each segment is tried
 * at each place at most once: pattern × text steps at worst, and indexOf finds the places a literal
 * segment can start.
 */
function matchSegments(segments: readonly Segment[], text: string): boolean {
  const first = segments[0]!
  if (segments.length === 1) return matchSegment(first, text, 0) === text.length
  let pos = matchSegment(first, text, 0)
  if (pos < 0) return false
  for (let i = 1; i < segments.length - 1; i++) {
    pos = leftmost(segments[i]!, text, pos)
    if (pos < 0) return false
  }
  const last = segments[segments.length - 1]!
  if (last.anchor !== '' && text.indexOf(last.anchor, pos) < 0) return false
  if (last.literal !== undefined) return text.length - last.literal.length >= pos && text.endsWith(last.literal)
  // The last segment ends the text: walk back as many code points as it has tokens.
  let start = text.length
  for (let i = 0; i < last.tokens.length; i++) {
    if (start <= pos) return false
    start -= start >= 2 && isLowSurrogate(text.charCodeAt(start - 1)) && isHighSurrogate(text.charCodeAt(start - 2)) ? 2 : 1
  }
  return start >= pos && matchSegment(last, text, start) === text.length - start
}

/** The end of the segment's leftmost match at or after `from`, or -1. */
function leftmost(segment: Segment, text: string, from: number): number {
  if (segment.literal !== undefined) {
    const at = text.indexOf(segment.literal, from)
    return at < 0 ? -1 : at + segment.literal.length
  }
  if (segment.anchor !== '' && text.indexOf(segment.anchor, from) < 0) return -1
  const lead = segment.tokens[0]!
  for (let at = from; at < text.length; ) {
    if (lead.kind === 'char') {
      at = text.indexOf(lead.char, at)
      if (at < 0) return -1
    }
    const width = matchSegment(segment, text, at)
    if (width >= 0) return at + width
    at += text.codePointAt(at)! > 0xffff ? 2 : 1
  }
  return -1
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
