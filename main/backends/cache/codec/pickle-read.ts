/**
 * A safe unpickler: a stack machine over the opcodes of pickle protocols 0–5 (CPython's
 * Lib/pickletools.py documents each) that builds values and never code. GLOBAL and STACK_GLOBAL
 * give a class's name, never the class; REDUCE, NEWOBJ, INST, OBJ and BUILD record what Python would
 * call (known-classes.ts decodes a few by name). Every opcode does work proportional to its own bytes,
 * memo references stay shared, and the bounds of limits.ts hold, so no input can hang or exhaust it.
 */
import { BackplaneError } from '../../../core/errors'
import type { CacheValue } from '../base'
import type { DecodedValue, StoredValue, ValueCodec } from './types'
import { newObject, pythonGlobal, reduceCall } from './known-classes'
import { VALUE_LIMITS, corrupt, tooLarge } from './limits'
import { readScalarPickle } from './pickle-fast'
import { PickleInput, TRUNCATED_HINT, decimalInt } from './pickle-input'
import { decodeRawUnicodeEscape } from './pickle-text'
import { PyBytes, PyDict, PyFloat, PyList, PyObject, PySet, PyTuple, type PyValue } from './python-values'
import { convertSteps, toValueModel } from './value-model'

export interface Unpickled {
  value: CacheValue
  /** The value holds a Python object shown as `{ $class, … }`. */
  opaque: boolean
  /** Where the pickle ended (after STOP): the file cache keeps two pickles in a row. */
  end: number
}

/** Protocols 2 and up start with PROTO; Django writes 4 (django-redis) or 5 (pickle.HIGHEST_PROTOCOL). */
export function hasPickleHeader(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x80 && (data[1] as number) >= 2 && (data[1] as number) <= 5
}

/** The pickle at `offset` as the value model; anything malformed is E_CACHE_CORRUPT, anything beyond the bounds E_TOO_LARGE. */
export function readPickle(data: Uint8Array, offset = 0): Unpickled {
  const ready = offset === 0 ? readAhead.get(data) : undefined
  if (ready) {
    if ('error' in ready) throw ready.error
    return ready
  }
  if (data.length - offset > VALUE_LIMITS.inputBytes) throw tooLarge(`The pickle is ${data.length - offset} bytes; Backplane reads at most ${VALUE_LIMITS.inputBytes}.`)
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  // A lone str or number (most cache entries) skips the machine; any other pickle, or a damaged one, runs it.
  const scalar = readScalarPickle(buffer, offset)
  if (scalar) return { value: scalar.value, opaque: false, end: scalar.end }
  try {
    const machine = new PickleMachine(buffer, offset)
    const value = machine.run()
    return { ...toValueModel(value, VALUE_LIMITS.outputChars + 2 * (data.length - offset)), end: machine.input.pos }
  } catch (error) {
    if (error instanceof BackplaneError) throw error
    throw corrupt(`The pickle cannot be read: ${error instanceof Error ? error.message : String(error)}.`)
  }
}

/** Pickles up to this size are read at once (well under a millisecond); bigger ones in slices. */
export const SLICED_FROM_BYTES = 256 * 1024
/** Opcodes run between two chances for the event loop. */
const RUN_SLICE = 50_000

/**
 * readPickle for any size without holding the event loop: a big pickle (a 14 MB dict takes about a
 * second to read) is read and converted in slices, with the event loop free between them.
 */
export async function readPickleSliced(data: Uint8Array, offset = 0): Promise<Unpickled> {
  if (data.length - offset <= SLICED_FROM_BYTES) return readPickle(data, offset)
  if (data.length - offset > VALUE_LIMITS.inputBytes) throw tooLarge(`The pickle is ${data.length - offset} bytes; Backplane reads at most ${VALUE_LIMITS.inputBytes}.`)
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  try {
    const machine = new PickleMachine(buffer, offset)
    let value: PyValue | typeof PAUSED
    while ((value = machine.run(RUN_SLICE)) === PAUSED) await nextTurn()
    const steps = convertSteps(value, VALUE_LIMITS.outputChars + 2 * (data.length - offset))
    for (;;) {
      const next = steps.next()
      if (next.done) return { ...next.value, end: machine.input.pos }
      await nextTurn()
    }
  } catch (error) {
    if (error instanceof BackplaneError) throw error
    throw corrupt(`The pickle cannot be read: ${error instanceof Error ? error.message : String(error)}.`)
  }
}

/**
 * Pickles read ahead in slices by decodeOffLoop(), by the very bytes object the codec will hand to
 * readPickle(): the codec's own rules (digits, flags, headers) stay in one place, and the big read
 * among them no longer holds the event loop. A read that failed keeps its error, so it is not run again.
 */
const readAhead = new WeakMap<Uint8Array, Unpickled | { error: unknown }>()

/** codec.decode(stored), with a big pickle among the stored bytes read in slices first (see readAhead). */
export async function decodeOffLoop(codec: ValueCodec, stored: StoredValue): Promise<DecodedValue> {
  const { bytes } = stored
  if (bytes.length <= SLICED_FROM_BYTES || !hasPickleHeader(bytes)) return codec.decode(stored)
  readAhead.set(
    bytes,
    await readPickleSliced(bytes).catch((error: unknown) => ({ error })),
  )
  try {
    return codec.decode(stored)
  } finally {
    readAhead.delete(bytes)
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** What run() answers when its slice of opcodes is spent before STOP; run() again goes on. */
const PAUSED = Symbol('paused')

const PROTOCOL_HINT = 'Backplane reads pickle protocols 0 to 5 (Python 3.8 and later write 5 at most).'

class PickleMachine {
  readonly input: PickleInput
  private protocol = 0
  private readonly stack: PyValue[] = []
  /** Where each open MARK began on the stack. */
  private readonly marks: number[] = []
  /** Indexed as the pickle says; an array, as MEMOIZE numbers its entries 0, 1, 2, … */
  private readonly memo: PyValue[] = []
  private memoCount = 0
  private nodes = 0

  constructor(data: Buffer, offset: number) {
    this.input = new PickleInput(data, offset)
  }

  run(): PyValue
  run(slice: number): PyValue | typeof PAUSED
  run(slice = Infinity): PyValue | typeof PAUSED {
    const { input } = this
    for (let left = slice; ; ) {
      if (--left < 0) return PAUSED
      if (input.pos >= input.data.length) throw corrupt('The pickle ends without its STOP opcode.', TRUNCATED_HINT)
      const at = input.pos
      const op = input.data[input.pos++] as number
      switch (op) {
        case 0x80: {
          // PROTO
          const protocol = this.input.u8()
          if (protocol > 5) throw corrupt(`The pickle says protocol ${protocol}.`, PROTOCOL_HINT)
          this.protocol = protocol
          break
        }
        case 0x95: // FRAME: only a hint for buffered readers.
          this.input.skip(8)
          break
        case 0x2e: // STOP
          return this.pop()
        case 0x28: // MARK
          if (this.marks.length >= VALUE_LIMITS.depth) throw tooLarge(`The pickle nests deeper than ${VALUE_LIMITS.depth} levels.`)
          this.marks.push(this.stack.length)
          break
        case 0x31: // POP_MARK
          this.popMark()
          break
        case 0x30: // POP: the top value, or (as CPython) the open MARK when nothing is above it.
          if (this.stack.length > this.base()) this.stack.pop()
          else this.popMark()
          break
        case 0x32: // DUP
          this.push(this.top())
          break

        case 0x4e: // NONE
          this.push(null)
          break
        case 0x88: // NEWTRUE
          this.push(true)
          break
        case 0x89: // NEWFALSE
          this.push(false)
          break
        case 0x49: {
          // INT: protocol 0 also writes bools this way.
          const line = this.input.line().toString('latin1')
          this.push(line === '01' ? true : line === '00' ? false : decimalInt(line))
          break
        }
        case 0x4c: // LONG: "123L" in Python 2's pickles, "123" in Python 3's.
          this.push(decimalInt(this.input.line().toString('latin1').replace(/L$/, '')))
          break
        case 0x4a: // BININT
          this.push(this.input.data.readInt32LE(this.input.skip(4)))
          break
        case 0x4b: // BININT1
          this.push(this.input.u8())
          break
        case 0x4d: // BININT2
          this.push(this.input.data.readUInt16LE(this.input.skip(2)))
          break
        case 0x8a: // LONG1
          this.push(this.input.long(this.input.u8()))
          break
        case 0x8b: // LONG4
          this.push(this.input.long(this.input.size(4, 'LONG4')))
          break
        case 0x46: // FLOAT
          this.push(new PyFloat(this.input.floatLine(at)))
          break
        case 0x47: // BINFLOAT
          this.push(new PyFloat(this.input.data.readDoubleBE(this.input.skip(8))))
          break

        case 0x53: // STRING: a Python 2 str, quoted as repr() quotes it.
          this.push(this.oldString(this.input.quoted(at)))
          break
        case 0x54: // BINSTRING
          this.push(this.oldString(this.input.take(this.input.size(4, 'BINSTRING'))))
          break
        case 0x55: // SHORT_BINSTRING
          this.push(this.oldString(this.input.take(this.input.u8())))
          break
        case 0x42: // BINBYTES
          this.push(this.made(new PyBytes(this.input.take(this.input.size(4, 'BINBYTES')))))
          break
        case 0x43: // SHORT_BINBYTES
          this.push(this.made(new PyBytes(this.input.take(this.input.u8()))))
          break
        case 0x8e: // BINBYTES8
          this.push(this.made(new PyBytes(this.input.take(this.input.size(8, 'BINBYTES8')))))
          break
        case 0x96: // BYTEARRAY8
          this.push(this.made(new PyBytes(this.input.take(this.input.size(8, 'BYTEARRAY8')), true)))
          break
        case 0x97: // NEXT_BUFFER
          throw corrupt('The pickle refers to an out-of-band buffer (pickle protocol 5 buffer_callback).', 'Such buffers travel beside the pickle and are never stored in a cache: this entry cannot be read alone.')
        case 0x98: // READONLY_BUFFER: makes the buffer on top read-only; bytes already are.
          this.top()
          break
        case 0x56: {
          // UNICODE
          const text = decodeRawUnicodeEscape(input.line())
          if (text === undefined) throw corrupt(`UNICODE at byte ${at} holds a broken \\u escape.`)
          this.push(text)
          break
        }
        case 0x58: // BINUNICODE
          this.push(this.input.utf8(this.input.size(4, 'BINUNICODE'), at))
          break
        case 0x8c: // SHORT_BINUNICODE
          this.push(this.input.utf8(this.input.u8(), at))
          break
        case 0x8d: // BINUNICODE8
          this.push(this.input.utf8(this.input.size(8, 'BINUNICODE8'), at))
          break

        case 0x5d: // EMPTY_LIST
          this.push(this.made(new PyList()))
          break
        case 0x6c: {
          // LIST
          this.push(this.made(new PyList(this.popMark())))
          break
        }
        case 0x61: {
          // APPEND
          const item = this.pop()
          this.extend(this.top(), [item], at)
          break
        }
        case 0x65: {
          // APPENDS
          const items = this.popMark()
          this.extend(this.top(), items, at)
          break
        }
        case 0x29: // EMPTY_TUPLE
          this.push(this.made(new PyTuple([])))
          break
        case 0x74: // TUPLE
          this.push(this.made(new PyTuple(this.popMark())))
          break
        case 0x85: // TUPLE1
        case 0x86: // TUPLE2
        case 0x87: {
          // TUPLE3
          const size = op - 0x84
          if (this.stack.length - this.base() < size) throw this.underflow(at)
          this.push(this.made(new PyTuple(this.stack.splice(this.stack.length - size))))
          break
        }
        case 0x7d: // EMPTY_DICT
          this.push(this.made(new PyDict()))
          break
        case 0x64: {
          // DICT
          const dict = this.made(new PyDict())
          this.setItems(dict, this.popMark(), at)
          this.push(dict)
          break
        }
        case 0x73: {
          // SETITEM
          const value = this.pop()
          const key = this.pop()
          this.setItems(this.top(), [key, value], at)
          break
        }
        case 0x75: {
          // SETITEMS
          const items = this.popMark()
          this.setItems(this.top(), items, at)
          break
        }
        case 0x8f: // EMPTY_SET
          this.push(this.made(new PySet(false)))
          break
        case 0x90: {
          // ADDITEMS
          const items = this.popMark()
          const target = this.top()
          if (target instanceof PySet && !target.frozen) for (const item of items) target.add(item)
          else if (target instanceof PyObject) appendAll((target.listItems ??= []), items)
          else throw corrupt(`ADDITEMS at byte ${at} adds to something that is not a set.`)
          break
        }
        case 0x91: {
          // FROZENSET
          const set = this.made(new PySet(true))
          for (const item of this.popMark()) set.add(item)
          this.push(set)
          break
        }

        case 0x70: // PUT
          this.remember(this.input.memoIndex(at))
          break
        case 0x71: // BINPUT
          this.remember(this.input.u8())
          break
        case 0x72: // LONG_BINPUT
          this.remember(this.input.data.readUInt32LE(this.input.skip(4)))
          break
        case 0x94: // MEMOIZE
          this.remember(this.memoCount)
          break
        case 0x67: // GET
          this.recall(this.input.memoIndex(at), at)
          break
        case 0x68: // BINGET
          this.recall(this.input.u8(), at)
          break
        case 0x6a: // LONG_BINGET
          this.recall(this.input.data.readUInt32LE(this.input.skip(4)), at)
          break

        case 0x63: {
          // GLOBAL
          const module = this.input.className(at)
          this.push(this.made(pythonGlobal(module, this.input.className(at), this.protocol)))
          break
        }
        case 0x93: {
          // STACK_GLOBAL
          const qualname = this.pop()
          const module = this.pop()
          if (typeof module !== 'string' || typeof qualname !== 'string') throw corrupt(`STACK_GLOBAL at byte ${at} names a class with something other than text.`)
          this.push(this.made(pythonGlobal(module, qualname, this.protocol)))
          break
        }
        case 0x52: {
          // REDUCE
          const args = this.tuple(this.pop(), 'REDUCE', at)
          this.push(this.made(reduceCall(this.pop(), args)))
          break
        }
        case 0x81: {
          // NEWOBJ
          const args = this.tuple(this.pop(), 'NEWOBJ', at)
          this.push(this.made(newObject(this.pop(), args)))
          break
        }
        case 0x92: {
          // NEWOBJ_EX
          const kwargs = this.pop()
          const args = this.tuple(this.pop(), 'NEWOBJ_EX', at)
          if (!(kwargs instanceof PyDict)) throw corrupt(`NEWOBJ_EX at byte ${at} has keyword arguments that are not a dict.`)
          this.push(this.made(newObject(this.pop(), args, kwargs)))
          break
        }
        case 0x69: {
          // INST
          const module = this.input.className(at)
          const cls = this.made(pythonGlobal(module, this.input.className(at), this.protocol))
          this.push(this.made(reduceCall(cls, this.popMark())))
          break
        }
        case 0x6f: {
          // OBJ
          const [cls, ...args] = this.popMark()
          if (cls === undefined) throw this.underflow(at)
          this.push(this.made(reduceCall(cls, args)))
          break
        }
        case 0x62: {
          // BUILD
          const state = this.pop()
          const target = this.top()
          if (!(target instanceof PyObject || target instanceof PyList || target instanceof PyDict || target instanceof PySet)) {
            throw corrupt(`BUILD at byte ${at} gives state to a value that takes none.`)
          }
          target.state = state
          target.hasState = true
          break
        }

        case 0x50: // PERSID
        case 0x51: // BINPERSID
          throw corrupt('The pickle holds a persistent ID, which only the program that wrote it can resolve.', 'Python\'s pickle.loads refuses it too; the entry was not written by Django\'s cache.')
        case 0x82: // EXT1
        case 0x83: // EXT2
        case 0x84: // EXT4
          throw corrupt('The pickle names a class by a copyreg extension code, which only the program that wrote it can resolve.', 'Django\'s cache never writes these; the entry came from another program.')
        default:
          throw corrupt(`The pickle has an unknown opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at}.`, 'It is damaged, or it is not a pickle.')
      }
    }
  }

  /** A Python 2 str: text when it is ASCII (what Python 3's pickle.loads decodes by default), else bytes. */
  private oldString(bytes: Buffer): PyValue {
    for (const byte of bytes) if (byte > 0x7f) return this.made(new PyBytes(bytes))
    return bytes.toString('latin1')
  }

  // The stack, the marks and the memo.

  private base(): number {
    return this.marks.at(-1) ?? 0
  }

  private underflow(at: number): BackplaneError {
    return corrupt(`The opcode at byte ${at} needs a value the pickle never gave (stack underflow).`)
  }

  private push(value: PyValue): void {
    if (this.stack.length >= VALUE_LIMITS.stack) throw tooLarge(`The pickle keeps more than ${VALUE_LIMITS.stack} values on its stack.`)
    this.stack.push(value)
  }

  private pop(): PyValue {
    if (this.stack.length <= this.base()) throw this.underflow(this.input.pos - 1)
    return this.stack.pop() as PyValue
  }

  private top(): PyValue {
    if (this.stack.length <= this.base()) throw this.underflow(this.input.pos - 1)
    return this.stack[this.stack.length - 1] as PyValue
  }

  private popMark(): PyValue[] {
    const start = this.marks.pop()
    if (start === undefined) throw corrupt(`The opcode at byte ${this.input.pos - 1} closes a MARK that was never opened.`)
    return this.stack.splice(start)
  }

  private remember(index: number): void {
    const value = this.top()
    if (this.memo[index] === undefined && ++this.memoCount > VALUE_LIMITS.memo) throw tooLarge(`The pickle remembers more than ${VALUE_LIMITS.memo} values.`)
    this.memo[index] = value
  }

  private recall(index: number, at: number): void {
    const value = this.memo[index]
    if (value === undefined) throw corrupt(`The pickle refers at byte ${at} to memo entry ${index}, which it never stored.`)
    this.push(value)
  }

  private made<T>(node: T): T {
    if (++this.nodes > VALUE_LIMITS.nodes) throw tooLarge(`The pickle builds more than ${VALUE_LIMITS.nodes} objects.`)
    return node
  }

  private tuple(value: PyValue, opcode: string, at: number): readonly PyValue[] {
    if (!(value instanceof PyTuple)) throw corrupt(`${opcode} at byte ${at} has arguments that are not a tuple.`)
    return value.items
  }

  private extend(target: PyValue, items: readonly PyValue[], at: number): void {
    if (target instanceof PyList) appendAll(target.items, items)
    else if (target instanceof PyObject) appendAll((target.listItems ??= []), items)
    else throw corrupt(`APPEND at byte ${at} appends to something that is not a list.`)
  }

  private setItems(target: PyValue, items: readonly PyValue[], at: number): void {
    if (items.length % 2) throw corrupt(`SETITEMS at byte ${at} has a key without a value.`)
    const dict = target instanceof PyDict ? target : target instanceof PyObject ? (target.dictItems ??= this.made(new PyDict())) : undefined
    if (!dict) throw corrupt(`SETITEM at byte ${at} sets an item of something that is not a dict.`)
    for (let i = 0; i < items.length; i += 2) dict.set(items[i] as PyValue, items[i + 1] as PyValue)
  }
}

/** push(...items) takes its items as call arguments, and the stack holds only so many. */
function appendAll(to: PyValue[], items: readonly PyValue[]): void {
  for (const item of items) to.push(item)
}
