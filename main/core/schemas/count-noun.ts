/**
 * "1 key", "3 keys", "1 entry": a count with its noun in the right number. English only, as the rest of
 * the GUI; irregular plurals are passed in ("1 alias", "2 aliases").
 */
export function countOf(count: number, singular: string, plural = defaultPlural(singular)): string {
  return `${count.toLocaleString('en')} ${count === 1 ? singular : plural}`
}

function defaultPlural(singular: string): string {
  if (/[^aeiou]y$/.test(singular)) return `${singular.slice(0, -1)}ies`
  if (/(s|x|z|ch|sh)$/.test(singular)) return `${singular}es`
  return `${singular}s`
}
