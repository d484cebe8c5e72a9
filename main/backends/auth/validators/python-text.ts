// Python's str semantics where Django's validators depend on them (lengths, isdigit, strip, \W), on code points.

/** len(s) in Python: code points, not UTF-16 units ("🔑" is one character). */
export function pyLen(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

// str.isdigit() is true for decimal digits (Nd) and for the 128 other characters Unicode gives
// Numeric_Type=Digit (superscripts, circled digits…), listed from Python 3.11's unicodedata (Unicode 14).
const DIGIT = /^[\p{Nd}\u{B2}-\u{B3}\u{B9}\u{1369}-\u{1371}\u{19DA}\u{2070}\u{2074}-\u{2079}\u{2080}-\u{2089}\u{2460}-\u{2468}\u{2474}-\u{247C}\u{2488}-\u{2490}\u{24EA}\u{24F5}-\u{24FD}\u{24FF}\u{2776}-\u{277E}\u{2780}-\u{2788}\u{278A}-\u{2792}\u{10A40}-\u{10A43}\u{10E60}-\u{10E68}\u{11052}-\u{1105A}\u{1F100}-\u{1F10A}]+$/u

/** Python's str.isdigit(): non-empty and every character a digit. */
export function pyIsDigit(s: string): boolean {
  return DIGIT.test(s)
}

// str.isspace(): Unicode White_Space plus the ASCII information separators \x1c-\x1f.
const SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]'
const STRIP = new RegExp(`^${SPACE}+|${SPACE}+$`, 'gu')

/** Python's str.strip() with no argument. */
export function pyStrip(s: string): string {
  return s.replace(STRIP, '')
}

/** re.split(r'\W+', s) on a str: \w is a letter, a number or "_" (Unicode), empty pieces kept as Python keeps them. */
export function splitOnNonWord(s: string): string[] {
  return s.split(/[^\p{L}\p{N}_]+/u)
}
