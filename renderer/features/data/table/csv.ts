/**
 * CSV as RFC 4180 writes it (quotes doubled inside quoted fields, CRLF or LF, a BOM ignored), parsed
 * chunk by chunk so that a 50 MB file is read as it streams, never held as one string.
 */

export interface CsvRecord {
  fields: string[]
  /** The 1-based line of the file where the record starts (quoted fields may span lines). */
  line: number
}

export class CsvParser {
  private field = ''
  private fields: string[] = []
  private quoted = false
  /** Inside a quoted field, a quote was just read: the next character says whether it was "" or the end. */
  private quoteSeen = false
  private afterCr = false
  private started = false
  private fieldStarted = false
  private line = 1
  private recordLine = 1

  constructor(readonly delimiter = ',') {}

  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = []
    let text = chunk
    if (!this.started && text.length > 0) {
      this.started = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    for (let i = 0; i < text.length; i += 1) {
      const c = text[i]!
      if (this.afterCr) {
        this.afterCr = false
        if (c === '\n') continue
      }
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false
          if (c === '"') {
            this.field += '"'
            continue
          }
          this.quoted = false
          // Falls through: the character after a closing quote is read as outside the quotes.
        } else if (c === '"') {
          this.quoteSeen = true
          continue
        } else {
          // CRLF is one line break, even split across two chunks.
          if (c === '\r' || (c === '\n' && !this.field.endsWith('\r'))) this.line += 1
          this.field += c
          continue
        }
      }
      if (c === '"' && !this.fieldStarted) {
        this.quoted = true
        this.fieldStarted = true
      } else if (c === this.delimiter) {
        this.endField()
      } else if (c === '\n' || c === '\r') {
        this.afterCr = c === '\r'
        out.push(...this.endRecord())
        this.line += 1
        this.recordLine = this.line
      } else {
        this.field += c
        this.fieldStarted = true
      }
    }
    return out
  }

  /** The last record, when the file does not end with a newline. */
  end(): CsvRecord[] {
    if (this.quoteSeen) {
      this.quoteSeen = false
      this.quoted = false
    }
    return this.endRecord()
  }

  private endField() {
    this.fields.push(this.field)
    this.field = ''
    this.fieldStarted = false
  }

  private endRecord(): CsvRecord[] {
    if (this.fields.length === 0 && !this.fieldStarted && this.field === '') return [] // a blank line
    this.endField()
    const record = { fields: this.fields, line: this.recordLine }
    this.fields = []
    return [record]
  }
}

/** Comma, semicolon (European spreadsheets), tab or pipe: whichever splits the first line into the most fields outside quotes. */
export function detectDelimiter(sample: string): string {
  const firstLine = sample.split(/\r?\n/, 1)[0] ?? ''
  let best = ','
  let bestCount = 0
  for (const delimiter of [',', ';', '\t', '|']) {
    let count = 0
    let quoted = false
    for (const c of firstLine) {
      if (c === '"') quoted = !quoted
      else if (c === delimiter && !quoted) count += 1
    }
    if (count > bestCount) {
      best = delimiter
      bestCount = count
    }
  }
  return best
}

export function parseCsv(text: string, delimiter = detectDelimiter(text)): CsvRecord[] {
  const parser = new CsvParser(delimiter)
  return [...parser.push(text), ...parser.end()]
}

/** A field quoted when it must be (delimiter, quote, line break, or spaces at its ends). */
export function csvField(value: string, delimiter = ','): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

export function toCsv(rows: readonly (readonly string[])[], delimiter = ','): string {
  return rows.map((row) => row.map((field) => csvField(field, delimiter)).join(delimiter)).join('\r\n') + '\r\n'
}
