/**
 * The value model's tagged objects ({"$bytes": …}, {"$datetime": …}, {"$class": …}) read as the Python
 * values they stand for, so a pickled dict reads like `{'user': 42, 'seen': datetime(2024-05-01T10:00:00)}`
 * instead of a wall of tags. For reading only: editing works on the JSON itself.
 */

type Tagged = Record<string, unknown>

const WIDTH = 80
/** Bytes shown of a long bytes value before "…" (the hex view has them all). */
const BYTES_SHOWN = 256

const TAGS = ['$int', '$bytes', '$bytearray', '$tuple', '$set', '$frozenset', '$dict', '$float', '$datetime', '$date', '$time', '$timedelta', '$decimal', '$uuid', '$class'] as const

function tagOf(value: unknown): (typeof TAGS)[number] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const keys = Object.keys(value)
  if (keys.includes('$class')) return '$class'
  if (keys.length !== 1) return undefined
  return TAGS.find((tag) => tag === keys[0])
}

/** Whether the value holds any tagged object, i.e. whether the readable view says more than the JSON. */
export function hasTags(value: unknown): boolean {
  if (tagOf(value) !== undefined) return true
  if (Array.isArray(value)) return value.some(hasTags)
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasTags)
  return false
}

/** Whether a Python object ({"$class": …}) is in it: shown, never executed, and not writable back. */
export function hasOpaque(value: unknown): boolean {
  const tag = tagOf(value)
  if (tag === '$class') return true
  if (Array.isArray(value)) return value.some(hasOpaque)
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasOpaque)
  return false
}

function base64Bytes(base64: unknown): Uint8Array {
  try {
    const binary = atob(typeof base64 === 'string' ? base64 : '')
    const bytes = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i)
    return bytes
  } catch {
    return new Uint8Array()
  }
}

/** Python's repr of bytes: printable ASCII as is, the rest as \xNN. */
export function bytesRepr(bytes: Uint8Array): string {
  let out = "b'"
  for (const byte of bytes.subarray(0, BYTES_SHOWN)) {
    if (byte === 0x5c) out += '\\\\'
    else if (byte === 0x27) out += "\\'"
    else if (byte === 0x0a) out += '\\n'
    else if (byte === 0x0d) out += '\\r'
    else if (byte === 0x09) out += '\\t'
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte)
    else out += `\\x${byte.toString(16).padStart(2, '0')}`
  }
  out += "'"
  return bytes.length > BYTES_SHOWN ? `${out}… (${bytes.length.toLocaleString('en')} bytes)` : out
}

interface Node {
  /** The one-line form. */
  flat: string
  /** Container pieces, for breaking over lines when the flat form is too wide. */
  open?: string
  close?: string
  children?: Node[]
}

const leaf = (flat: string): Node => ({ flat })

function container(open: string, close: string, children: Node[], empty = `${open}${close}`): Node {
  if (children.length === 0) return leaf(empty)
  return { flat: `${open}${children.map((c) => c.flat).join(', ')}${close}`, open, close, children }
}

function pair(key: Node, value: Node): Node {
  return value.children ? { ...value, flat: `${key.flat}: ${value.flat}`, open: `${key.flat}: ${value.open}` } : leaf(`${key.flat}: ${value.flat}`)
}

function nodeOf(value: unknown): Node {
  const tag = tagOf(value)
  const tagged = value as Tagged
  switch (tag) {
    case '$int':
      return leaf(String(tagged.$int))
    case '$float':
      return leaf(String(tagged.$float))
    case '$bytes':
      return leaf(bytesRepr(base64Bytes(tagged.$bytes)))
    case '$bytearray':
      return leaf(`bytearray(${bytesRepr(base64Bytes(tagged.$bytearray))})`)
    case '$tuple': {
      const items = asArray(tagged.$tuple).map(nodeOf)
      return items.length === 1 ? leaf(`(${items[0]!.flat},)`) : container('(', ')', items)
    }
    case '$set':
      return container('{', '}', asArray(tagged.$set).map(nodeOf), 'set()')
    case '$frozenset':
      return container('frozenset({', '})', asArray(tagged.$frozenset).map(nodeOf), 'frozenset()')
    case '$dict':
      return container('{', '}', asArray(tagged.$dict).map((entry) => pair(nodeOf(asArray(entry)[0]), nodeOf(asArray(entry)[1]))))
    case '$datetime':
      return leaf(`datetime(${String(tagged.$datetime)})`)
    case '$date':
      return leaf(`date(${String(tagged.$date)})`)
    case '$time':
      return leaf(`time(${String(tagged.$time)})`)
    case '$timedelta':
      return leaf(`timedelta(${formatDuration(Number(tagged.$timedelta))})`)
    case '$decimal':
      return leaf(`Decimal('${String(tagged.$decimal)}')`)
    case '$uuid':
      return leaf(`UUID('${String(tagged.$uuid)}')`)
    case '$class': {
      const args = Array.isArray(tagged.$args) ? tagged.$args.map(nodeOf) : []
      const state = '$state' in tagged ? [pair(leaf('state'), nodeOf(tagged.$state))] : []
      return container(`${String(tagged.$class)}(`, ')', [...args, ...state])
    }
    case undefined:
      break
  }
  if (Array.isArray(value)) return container('[', ']', value.map(nodeOf))
  if (value !== null && typeof value === 'object') return container('{', '}', Object.entries(value).map(([k, v]) => pair(leaf(JSON.stringify(k)), nodeOf(v))))
  if (value === undefined) return leaf('undefined')
  return leaf(JSON.stringify(value))
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds)
  const days = Math.trunc(seconds / 86_400)
  const rest = Math.abs(seconds - days * 86_400)
  const h = Math.floor(rest / 3600)
  const m = Math.floor((rest % 3600) / 60)
  const s = rest % 60
  const clock = `${h}:${String(m).padStart(2, '0')}:${s < 10 ? '0' : ''}${Number.isInteger(s) ? s : s.toFixed(6).replace(/0+$/, '')}`
  return days === 0 ? clock : `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${clock}`
}

function print(node: Node, indent: string, out: string[], lead: string, trail: string): void {
  if (!node.children || lead.length + indent.length + node.flat.length + trail.length <= WIDTH) {
    out.push(`${indent}${lead}${node.flat}${trail}`)
    return
  }
  out.push(`${indent}${lead}${node.open}`)
  node.children.forEach((child, i) => print(child, `${indent}  `, out, '', i < node.children!.length - 1 ? ',' : ''))
  out.push(`${indent}${node.close}${trail}`)
}

/** The value as Python would show it, broken over indented lines where one line is too wide. */
export function readableValue(value: unknown): string {
  const out: string[] = []
  print(nodeOf(value), '', out, '', '')
  return out.join('\n')
}
