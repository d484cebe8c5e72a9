/**
 * Python values (python-values.ts) → the value model: JSON, with tagged objects for what JSON lacks.
 * Iterative, so depth costs no JS stack; a value reached twice (the memo) becomes one shared JS object,
 * and its weight, about the characters its JSON would take, is counted each time it is reached, so the
 * output can be refused before anyone writes exabytes of it. A value inside itself shows as a marker.
 */
import type { CacheValue } from '../base'
import { recognize } from './known-classes'
import { VALUE_LIMITS, tooLarge } from './limits'
import { PyBytes, PyDict, PyFloat, PyGlobal, PyList, PyObject, PySet, PyTagged, PyTuple, type PyValue } from './python-values'

/** Shown where a container holds itself (`a = []; a.append(a)`), which JSON cannot. */
export const RECURSION_MARKER = '<recursive reference>'

type Composite = PyTuple | PyList | PyDict | PySet | PyObject

interface Frame {
  node: Composite
  /** The Python values to convert first, in order. */
  parts: readonly PyValue[]
  next: number
  converted: CacheValue[]
  weight: number
}

interface Converted {
  value: CacheValue
  weight: number
}

/** Parts converted between two chances for the event loop, when the conversion runs in slices. */
export const CONVERT_SLICE = 20_000

export function toValueModel(root: PyValue, maxWeight: number): { value: CacheValue; opaque: boolean } {
  const steps = convertSteps(root, maxWeight)
  for (;;) {
    const next = steps.next()
    if (next.done) return next.value
  }
}

/**
 * The conversion as a generator that yields every CONVERT_SLICE parts, so a big value can be converted
 * in slices with the event loop free between them (readPickleSliced); toValueModel drives it at once.
 */
export function* convertSteps(root: PyValue, maxWeight: number): Generator<void, { value: CacheValue; opaque: boolean }> {
  let budget = CONVERT_SLICE
  let opaque = false
  const done = new Map<Composite, Converted>()
  const onPath = new Set<Composite>()
  const stack: Frame[] = []

  const leaf = (value: PyValue): Converted | undefined => {
    if (value === null || typeof value === 'boolean') return { value, weight: 5 }
    if (typeof value === 'number') return { value, weight: 16 }
    if (typeof value === 'bigint') return { value: { $int: value.toString() }, weight: 16 + value.toString(16).length * 1.3 }
    if (typeof value === 'string') return { value, weight: value.length + 2 }
    if (value instanceof PyFloat) return { value: floatValue(value.value), weight: 24 }
    if (value instanceof PyBytes) return { value: { [value.mutable ? '$bytearray' : '$bytes']: Buffer.from(value.data).toString('base64') }, weight: 16 + value.data.length * 1.34 }
    if (value instanceof PyTagged) return { value: { [value.tag]: value.value }, weight: 48 }
    if (value instanceof PyGlobal) {
      opaque = true
      // A class or function itself, not an instance of it.
      return { value: { $class: 'builtins.type', $args: [value.fullName] }, weight: value.fullName.length + 40 }
    }
    if (value instanceof PyObject) {
      const known = recognize(value)
      if (known) return leaf(known)
    }
    return done.get(value)
  }

  const open = (node: Composite): void => {
    if (stack.length >= VALUE_LIMITS.depth) throw tooLarge(`The value nests deeper than ${VALUE_LIMITS.depth} levels.`)
    onPath.add(node)
    stack.push({ node, parts: partsOf(node), next: 0, converted: [], weight: 2 })
  }

  const first = leaf(root)
  if (first) return { value: first.value, opaque }
  open(root as Composite)
  let result: CacheValue
  for (;;) {
    if (--budget <= 0) {
      budget = CONVERT_SLICE
      yield
    }
    const frame = stack[stack.length - 1] as Frame
    if (frame.next < frame.parts.length) {
      const part = frame.parts[frame.next++] as PyValue
      // Most of a value is text and numbers: those go straight through, allocating nothing.
      if (typeof part === 'string') {
        frame.converted.push(part)
        frame.weight += part.length + 3
        continue
      }
      if (typeof part === 'number' || typeof part === 'boolean' || part === null) {
        frame.converted.push(part)
        frame.weight += 17
        continue
      }
      let child = leaf(part)
      if (!child && onPath.has(part as Composite)) {
        opaque = true
        child = { value: { $class: RECURSION_MARKER }, weight: 40 }
      }
      if (child) {
        frame.converted.push(child.value)
        frame.weight += child.weight + 1
      } else open(part as Composite)
      continue
    }
    if (frame.weight > maxWeight) throw tooLarge('The value would take more than ' + Math.round(maxWeight / 1024 / 1024) + ' MB as JSON (it repeats shared parts many times over).')
    const value = assemble(frame.node, frame.converted)
    if (frame.node instanceof PyObject || (!(frame.node instanceof PyTuple) && frame.node.hasState)) opaque = true
    onPath.delete(frame.node)
    stack.pop()
    done.set(frame.node, { value, weight: frame.weight })
    const parent = stack[stack.length - 1]
    if (!parent) {
      result = value
      break
    }
    parent.converted.push(value)
    parent.weight += frame.weight + 1
  }
  return { value: result, opaque }
}

function floatValue(value: number): CacheValue {
  if (Number.isNaN(value)) return { $float: 'nan' }
  if (value === Infinity) return { $float: 'inf' }
  if (value === -Infinity) return { $float: '-inf' }
  return value
}

function pairsOf(dict: PyDict): PyValue[] {
  const parts: PyValue[] = []
  for (let i = 0; i < dict.keys.length; i++) parts.push(dict.keys[i] as PyValue, dict.values[i] as PyValue)
  return parts
}

/** What each container is made of; assemble() gets them back converted, in this order. */
function partsOf(node: Composite): readonly PyValue[] {
  let parts: PyValue[]
  if (node instanceof PyTuple || node instanceof PyList || node instanceof PySet) parts = [...node.items]
  else if (node instanceof PyDict) parts = pairsOf(node)
  else {
    parts = [...(node.args ?? [])]
    if (node.kwargs) parts.push(node.kwargs)
    if (node.hasState) parts.push(node.state ?? null)
    for (const item of node.listItems ?? []) parts.push(item)
    if (node.dictItems) parts.push(node.dictItems)
    return parts
  }
  if (!(node instanceof PyTuple) && node.hasState) parts.push(node.state ?? null)
  return parts
}

function assemble(node: Composite, converted: CacheValue[]): CacheValue {
  if (node instanceof PyObject) return assembleObject(node, converted)
  const state = !(node instanceof PyTuple) && node.hasState ? converted.pop() : undefined
  let value: CacheValue
  if (node instanceof PyTuple) return { $tuple: converted }
  if (node instanceof PyList) value = converted
  else if (node instanceof PySet) value = { [node.frozen ? '$frozenset' : '$set']: converted }
  else value = dictValue(node, converted)
  // An OrderedDict is a dict to the value model; one that carries attributes (BUILD) shows them.
  if (!node.hasState) return value
  return { $class: node.origin ?? (node instanceof PyList ? 'builtins.list' : node instanceof PyDict ? 'builtins.dict' : 'builtins.set'), $args: [value], $state: state }
}

function dictValue(dict: PyDict, converted: CacheValue[]): CacheValue {
  const plain = dict.keys.every((key) => typeof key === 'string' && !key.startsWith('$'))
  if (!plain) {
    const pairs: CacheValue[] = []
    for (let i = 0; i < converted.length; i += 2) pairs.push([converted[i], converted[i + 1]])
    return { $dict: pairs }
  }
  const object: Record<string, CacheValue> = {}
  for (let i = 0; i < converted.length; i += 2) {
    const key = converted[i] as string
    // A key "__proto__" is data here, not the object's prototype.
    if (key === '__proto__') Object.defineProperty(object, key, { value: converted[i + 1], enumerable: true, writable: true, configurable: true })
    else object[key] = converted[i + 1]
  }
  return object
}

function assembleObject(node: PyObject, converted: CacheValue[]): CacheValue {
  const dictItems = node.dictItems ? converted.pop() : undefined
  const listItems = node.listItems ? converted.splice(converted.length - node.listItems.length) : undefined
  const state = node.hasState ? converted.pop() : undefined
  const kwargs = node.kwargs ? converted.pop() : undefined
  const value: Record<string, CacheValue> = { $class: node.cls }
  if (node.args?.length) value.$args = converted
  if (kwargs !== undefined) value.$kwargs = kwargs
  if (node.hasState) value.$state = state
  if (listItems) value.$listitems = listItems
  if (dictItems !== undefined) value.$dictitems = dictItems
  return value
}
