/** RFC 6901: `~` and `/` inside a segment are escaped, so `/caches/a~1b` names the alias "a/b". */
export function jsonPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('')
}
