/**
 * The few classes and functions the unpickler understands by name, so that their values show as the
 * value model's tags instead of as opaque objects. Each is decoded from its pickled data alone: no name
 * is ever looked up, imported or called. Anything not matched here becomes a PyObject.
 */
import { clockFromState, dayFromState, formatClock, formatDay, formatOffset } from './python-time'
import { PyBytes, PyDict, PyGlobal, PyList, PyObject, PySet, PyTagged, PyTuple, type PyValue } from './python-values'

type Args = readonly PyValue[]

/** Python 2 names that pickles of protocol 0–2 carry (Python 3 writes them too, for Python 2's sake; Lib/_compat_pickle.py). */
const PYTHON2_MODULES: Record<string, string> = { __builtin__: 'builtins', copy_reg: 'copyreg', exceptions: 'builtins' }

export function pythonGlobal(module: string, qualname: string, protocol: number): PyGlobal {
  return new PyGlobal(protocol < 3 ? (PYTHON2_MODULES[module] ?? module) : module, qualname)
}

const isInt = (v: PyValue | undefined): v is number => typeof v === 'number'
const isStr = (v: PyValue | undefined): v is string => typeof v === 'string'

/** The members of what Python would iterate: a list, tuple or set as pickled. */
function itemsOf(v: PyValue | undefined): readonly PyValue[] | undefined {
  if (v instanceof PyList || v instanceof PyTuple) return v.items
  if (v instanceof PySet) return v.items
  return undefined
}

function bytesOf(v: PyValue | undefined, length: number): Uint8Array | undefined {
  return v instanceof PyBytes && v.data.length === length ? v.data : undefined
}

/** Microseconds east of UTC of a tzinfo, when its pickle says; undefined for zones whose offset depends on the date. */
function offsetOf(tz: PyValue): number | undefined {
  if (tz instanceof PyObject) {
    const first = tz.args?.[0]
    // datetime.timezone(timedelta[, name]); timezone.utc pickles as timezone(timedelta(0)).
    if (tz.cls === 'datetime.timezone' && first instanceof PyTagged && first.tag === '$timedelta') return Math.round((first.value as number) * 1_000_000)
    if (tz.cls === 'pytz._UTC' || tz.cls === 'dateutil.tz.tz.tzutc') return 0
    // pytz's zones pickle as pytz._p(zone, utcoffset seconds, dst seconds, tzname): the offset in force.
    const seconds = tz.args?.[1]
    if (tz.cls === 'pytz._p' && isInt(seconds)) return seconds * 1_000_000
  }
  return undefined
}

/** datetime/time with a tzinfo: the ISO text with its offset, or (a zone we cannot read) the local text beside the zone. */
function zoned(cls: string, tag: '$datetime' | '$time', local: string, tz: PyValue | undefined): PyValue {
  if (tz === undefined || tz === null) return new PyTagged(tag, local)
  const offset = offsetOf(tz)
  if (offset !== undefined) return new PyTagged(tag, local + formatOffset(offset))
  return new PyObject(cls, [new PyTagged(tag, local), tz])
}

const HEX_UUID = /^(?:urn:uuid:)?\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i

export function uuidText(value: bigint): string | undefined {
  if (value < 0n || value >= 1n << 128n) return undefined
  const hex = value.toString(16).padStart(32, '0')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

type Maker = (args: Args) => PyValue | undefined

const fromItems =
  (frozen: boolean): Maker =>
  (args) => {
    const set = new PySet(frozen)
    if (args.length === 0) return set
    const items = itemsOf(args[0])
    if (!items || args.length > 1) return undefined
    for (const item of items) set.add(item)
    return set
  }

function latin1(text: string): Uint8Array | undefined {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return undefined
  return Buffer.from(text, 'latin1')
}

/** codecs.encode(text, encoding): how protocols 0–2 carry bytes, as text in latin-1. */
const encodeText: Maker = ([text, encoding, ...rest]) => {
  if (!isStr(text) || (encoding !== undefined && !isStr(encoding)) || rest.length) return undefined
  const name = (encoding ?? 'utf-8').toLowerCase().replace('_', '-')
  if (name === 'latin1' || name === 'latin-1' || name === 'iso-8859-1') {
    const data = latin1(text)
    return data && new PyBytes(data)
  }
  return name === 'utf-8' || name === 'utf8' ? new PyBytes(Buffer.from(text, 'utf8')) : undefined
}

const REDUCERS: Record<string, Maker> = {
  'builtins.set': fromItems(false),
  'builtins.frozenset': fromItems(true),
  'builtins.bytes': (args) => (args.length === 0 ? new PyBytes(new Uint8Array(0)) : args.length === 1 && args[0] instanceof PyBytes ? args[0] : undefined),
  'builtins.bytearray': ([source, encoding, ...rest]) => {
    if (rest.length) return undefined
    if (source === undefined) return new PyBytes(new Uint8Array(0), true)
    if (source instanceof PyBytes && encoding === undefined) return new PyBytes(source.data, true)
    // Protocol 2: bytearray(text, 'latin-1').
    const data = isStr(source) && isStr(encoding) ? (encodeText([source, encoding]) as PyBytes | undefined)?.data : undefined
    return data && new PyBytes(data, true)
  },
  '_codecs.encode': encodeText,
  'codecs.encode': encodeText,
  'collections.OrderedDict': ([pairs, ...rest]) => {
    if (rest.length) return undefined
    const dict = new PyDict()
    dict.origin = 'collections.OrderedDict'
    const items = pairs === undefined ? [] : itemsOf(pairs)
    if (!items) return undefined
    for (const pair of items) {
      const kv = itemsOf(pair)
      if (kv?.length !== 2) return undefined
      dict.set(kv[0] as PyValue, kv[1] as PyValue)
    }
    return dict
  },
  // How protocols 0 and 1 make instances of plain classes: object.__new__(cls), then BUILD.
  'copyreg._reconstructor': ([cls, base, state, ...rest]) => {
    if (!(cls instanceof PyGlobal) || !(base instanceof PyGlobal) || rest.length) return undefined
    if (base.fullName === 'builtins.object' && state === null) return new PyObject(cls.fullName)
    return new PyObject(cls.fullName, [state ?? null])
  },
  // getattr(SomeClass, 'name'): a longer name (zoneinfo.ZoneInfo._unpickle), still never resolved.
  'builtins.getattr': ([owner, name, ...rest]) => (owner instanceof PyGlobal && isStr(name) && !rest.length ? new PyGlobal(owner.module, `${owner.qualname}.${name}`) : undefined),
  'datetime.datetime': ([state, tz, ...rest]) => {
    const data = bytesOf(state, 10)
    const day = data && dayFromState(data)
    const clock = data && clockFromState(data, 4)
    if (!day || !clock || rest.length) return undefined
    return zoned('datetime.datetime', '$datetime', `${formatDay(day)}T${formatClock(clock)}`, tz)
  },
  'datetime.date': ([state, ...rest]) => {
    const data = bytesOf(state, 4)
    const day = data && dayFromState(data)
    return day && !rest.length ? new PyTagged('$date', formatDay(day)) : undefined
  },
  'datetime.time': ([state, tz, ...rest]) => {
    const data = bytesOf(state, 6)
    const clock = data && clockFromState(data)
    return clock && !rest.length ? zoned('datetime.time', '$time', formatClock(clock), tz) : undefined
  },
  'datetime.timedelta': ([days = 0, seconds = 0, microseconds = 0, ...rest]) =>
    isInt(days) && isInt(seconds) && isInt(microseconds) && !rest.length ? new PyTagged('$timedelta', days * 86400 + seconds + microseconds / 1_000_000) : undefined,
  'decimal.Decimal': ([text, ...rest]) => (isStr(text) && !rest.length ? new PyTagged('$decimal', text) : undefined),
  'uuid.UUID': ([text, ...rest]) => {
    const match = isStr(text) && !rest.length ? HEX_UUID.exec(text) : null
    return match ? new PyTagged('$uuid', match.slice(1).join('-').toLowerCase()) : undefined
  },
}
REDUCERS['_pydecimal.Decimal'] = REDUCERS['decimal.Decimal'] as Maker

/** What REDUCE, INST and OBJ make of `callable(*args)`: a decoded value for the names above, else an opaque object. */
export function reduceCall(callable: PyValue, args: Args): PyValue {
  // Calling what another call returned (a method of an object, say): shown as "<call>" of it, with the arguments after it.
  if (!(callable instanceof PyGlobal)) return new PyObject('<call>', [callable, ...args])
  return REDUCERS[callable.fullName]?.(args) ?? new PyObject(callable.fullName, args)
}

/** NEWOBJ's `cls.__new__(cls, *args)`: always an object of cls; what it becomes is settled by the BUILD that follows. */
export function newObject(cls: PyValue, args: Args, kwargs?: PyDict): PyObject {
  const object = cls instanceof PyGlobal ? new PyObject(cls.fullName, args) : new PyObject('<call>', [cls, ...args])
  if (kwargs?.keys.length) object.kwargs = kwargs
  return object
}

/** An object the value model has a tag for once its state is known (uuid.UUID pickles as UUID.__new__ then BUILD {'int': n}). */
export function recognize(object: PyObject): PyTagged | undefined {
  if (object.cls === 'uuid.UUID' && object.state instanceof PyDict && !object.args?.length) {
    const value = object.state.get('int')
    const text = typeof value === 'number' || typeof value === 'bigint' ? uuidText(BigInt(value)) : undefined
    if (text) return new PyTagged('$uuid', text)
  }
  return undefined
}
