/**
 * What a name filter compares: text made alike before comparing, the same in the storage's listing and
 * in the page's own instant filter. Composed (NFC), since a name written on a Mac comes decomposed
 * ("cafe" + U+0301) and one typed comes composed; lower case, with the final sigma read as any sigma,
 * since toLowerCase() makes a capital Σ "ς" at the end of a text and "σ" inside one, so "ΠΡΟΣ" would
 * not be found in "ΠΡΟΣΦΟΡΑ".
 */
export function foldForMatch(text: string): string {
  return text.normalize('NFC').toLowerCase().replaceAll('ς', 'σ')
}

/** A name filter: whether `name` contains `needle`, case and composition aside. Text, never a pattern. */
export function nameMatcher(needle: string): (name: string) => boolean {
  const folded = foldForMatch(needle)
  return (name) => foldForMatch(name).includes(folded)
}
