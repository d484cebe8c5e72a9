import { pyLen } from './python-text'

/**
 * difflib.SequenceMatcher(a, b).quick_ratio(), which is what Django's UserAttributeSimilarityValidator
 * compares with max_similarity: an upper bound on ratio(), 2·M / (len(a) + len(b)) where M counts the
 * characters the two strings share as multisets (no junk heuristic: quick_ratio uses b's full counts).
 */
export function quickRatio(a: string, b: string): number {
  const available = new Map<string, number>()
  for (const ch of b) available.set(ch, (available.get(ch) ?? 0) + 1)
  let matches = 0
  for (const ch of a) {
    const left = available.get(ch) ?? 0
    available.set(ch, left - 1)
    if (left > 0) matches++
  }
  const length = pyLen(a) + pyLen(b)
  // difflib's _calculate_ratio: two empty sequences are identical.
  return length ? (2 * matches) / length : 1
}

/**
 * Django's exceeds_maximum_length_ratio() (3.2.x security releases and later): a password ten times
 * longer than the value can never be similar enough, so the comparison is skipped.
 */
export function exceedsMaximumLengthRatio(password: string, maxSimilarity: number, value: string): boolean {
  const passwordLength = pyLen(password)
  const valueLength = pyLen(value)
  return passwordLength >= 10 * valueLength && valueLength < (maxSimilarity / 2) * passwordLength
}
