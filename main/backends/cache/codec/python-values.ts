/**
 * The Python values the unpickler builds before they become the value model (value-model.ts). Ints are
 * JS numbers when safe and bigints beyond; floats are wrapped so that 1.0 stays a float; str, bool and
 * None are JS strings, booleans and null. Nothing here refers to code: a class is only its name.
 */
export type PyValue = null | boolean | number | bigint | string | PyNode

export class PyFloat {
  constructor(readonly value: number) {}
}

export class PyBytes {
  constructor(
    readonly data: Uint8Array,
    /** bytearray rather than bytes. */
    readonly mutable = false,
  ) {}
}

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

/** A class or function named by GLOBAL/STACK_GLOBAL (or getattr on one): a name, never resolved. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly qualname: string,
  ) {}

  get fullName(): string {
    return `${this.module}.${this.qualname}`
  }
}

/** A value of a type the value model has a tag for, decoded while unpickling (datetime, Decimal, UUID, timedelta). */
export class PyTagged {
  constructor(
    readonly tag: '$datetime' | '$date' | '$time' | '$timedelta' | '$decimal' | '$uuid',
    readonly value: string | number,
  ) {}
}

/**
 * Lists, dicts and sets also say which class made them when it was not the builtin (OrderedDict) and
 * carry the state a BUILD gave them, so that neither is lost from view.
 */
export class PyList {
  constructor(readonly items: PyValue[] = []) {}
  origin?: string
  state?: PyValue
  hasState?: boolean
}

/**
 * A dict key or set member as a Map key, such that keys Python finds equal (1, 1.0 and True) are one,
 * when that is cheap to tell; undefined for the rest (tuples, bytes, …), which are kept as they come.
 */
function identityOf(key: PyValue): unknown {
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'bigint' || key === null) return key
  if (typeof key === 'boolean') return key ? 1 : 0
  if (key instanceof PyFloat) return key.value
  return undefined
}

/** Below this many entries a linear search is cheaper than keeping a Map. */
const INDEX_FROM = 8

/** Insertion-ordered and keyed as Python's dict. */
export class PyDict {
  readonly keys: PyValue[] = []
  readonly values: PyValue[] = []
  private index: Map<unknown, number> | undefined
  origin?: string
  state?: PyValue
  hasState?: boolean

  set(key: PyValue, value: PyValue): void {
    const id = identityOf(key)
    const at = id === undefined ? undefined : this.find(id)
    if (at !== undefined) {
      this.values[at] = value
      return
    }
    if (this.index && id !== undefined) this.index.set(id, this.keys.length)
    this.keys.push(key)
    this.values.push(value)
    if (!this.index && this.keys.length === INDEX_FROM) this.buildIndex()
  }

  get(key: string): PyValue | undefined {
    const at = this.find(key)
    return at === undefined ? undefined : this.values[at]
  }

  private find(id: unknown): number | undefined {
    if (this.index) return this.index.get(id)
    for (let i = 0; i < this.keys.length; i++) if (identityOf(this.keys[i] as PyValue) === id) return i
    return undefined
  }

  private buildIndex(): void {
    this.index = new Map()
    for (let i = 0; i < this.keys.length; i++) {
      const id = identityOf(this.keys[i] as PyValue)
      if (id !== undefined && !this.index.has(id)) this.index.set(id, i)
    }
  }
}

export class PySet {
  private readonly members = new PyDict()
  origin?: string
  state?: PyValue
  hasState?: boolean

  constructor(readonly frozen: boolean) {}

  add(item: PyValue): void {
    this.members.set(item, null)
  }

  get items(): readonly PyValue[] {
    return this.members.keys
  }
}

/**
 * Any other object: what Python would have called (`$class` with `$args`, from REDUCE, NEWOBJ, INST or
 * OBJ) and what it would then have applied (BUILD's state, APPENDS and SETITEMS on list and dict subclasses).
 */
export class PyObject {
  args: readonly PyValue[] | undefined
  kwargs: PyDict | undefined
  state: PyValue | undefined
  hasState = false
  listItems: PyValue[] | undefined
  dictItems: PyDict | undefined

  constructor(
    readonly cls: string,
    args?: readonly PyValue[],
  ) {
    this.args = args
  }
}

export type PyNode = PyFloat | PyBytes | PyTuple | PyGlobal | PyTagged | PyList | PyDict | PySet | PyObject
