import { existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { BackplaneError } from '../../../core/errors'
import { PROTOCOLS, VALUE_CASES } from './fixtures/cases'
import { fromBase64, havePython, python } from './fixtures/python'
import { readPickle } from './pickle-read'
import { RECURSION_MARKER } from './value-model'

function refusal(data: Uint8Array): BackplaneError {
  try {
    readPickle(data)
  } catch (error) {
    if (error instanceof BackplaneError) return error
    throw new Error(`readPickle threw ${String(error)}, not a BackplaneError`, { cause: error })
  }
  throw new Error('readPickle read a value where it should have refused')
}

const withPython = havePython() ? describe : describe.skip

withPython('reading pickles Python wrote', () => {
  let pickles: Record<string, Record<string, string>>
  beforeAll(() => {
    pickles = python('dump', Object.fromEntries(Object.entries(VALUE_CASES).map(([name, c]) => [name, c.expr])), { protocols: PROTOCOLS })
  })

  for (const [name, { expr, model }] of Object.entries(VALUE_CASES)) {
    for (const protocol of PROTOCOLS) {
      it(`reads ${expr.slice(0, 60)} pickled with protocol ${protocol}`, () => {
        const read = readPickle(fromBase64(pickles[name]?.[protocol] ?? ''))
        expect(read.value).toEqual(model)
        expect(read.opaque).toBe(false)
      })
    }
  }
})

withPython('reading pickles of objects it only shows', () => {
  const marker = join(tmpdir(), `backplane-pickle-marker-${process.pid}`)
  let pickles: Record<string, string>
  beforeAll(() => {
    rmSync(marker, { force: true })
    pickles = python('expr', {
      evil: `pickle.dumps([Evil('touch ${marker}')], 5)`,
      evilOld: `pickle.dumps(Evil('touch ${marker}'), 0)`,
      exec: `pickle.dumps(type('X', (), {'__reduce__': lambda self: (exec, ("open('${marker}', 'w')",))})(), 2)`,
      multiValueDict: "pickle.dumps(MultiValueDict({'a': [1, 2], 'b': ['x']}), 5)",
      dataclass: 'pickle.dumps(Point(1, 2), 4)',
      dataclassOld: 'pickle.dumps(Point(1, 2), 0)',
      zoneinfo: "pickle.dumps(datetime.datetime(2024, 1, 2, 3, tzinfo=zoneinfo.ZoneInfo('Europe/Paris')), 4)",
      classItself: 'pickle.dumps([int, MultiValueDict], 4)',
      recursive: '(lambda a: (a.append(a), pickle.dumps(a, 4))[1])([1])',
      shared: "(lambda s: pickle.dumps({'x': s, 'y': s}, 4))(['shared'])",
      counter: "pickle.dumps(collections.Counter({'a': 2}), 4)",
    })
  })

  it('shows a class whose unpickling would run a shell command, and runs nothing', () => {
    const value = readPickle(fromBase64(pickles.evil ?? '')).value
    expect(value).toEqual([{ $class: 'posix.system', $args: [`touch ${marker}`] }])
    expect(readPickle(fromBase64(pickles.evilOld ?? '')).value).toEqual({ $class: 'posix.system', $args: [`touch ${marker}`] })
    expect(readPickle(fromBase64(pickles.exec ?? '')).value).toEqual({ $class: 'builtins.exec', $args: [`open('${marker}', 'w')`] })
    expect(existsSync(marker)).toBe(false)
  })

  it("shows Django's MultiValueDict with its class, items and state", () => {
    const read = readPickle(fromBase64(pickles.multiValueDict ?? ''))
    expect(read.opaque).toBe(true)
    expect(read.value).toEqual({ $class: 'django.utils.datastructures.MultiValueDict', $dictitems: { a: 2, b: 'x' }, $state: { _data: { a: [1, 2], b: ['x'] } } })
  })

  it('shows a dataclass instance with its class and fields, at protocols 4 and 0', () => {
    expect(readPickle(fromBase64(pickles.dataclass ?? '')).value).toEqual({ $class: 'shop.geometry.Point', $state: { x: 1, y: 2 } })
    expect(readPickle(fromBase64(pickles.dataclassOld ?? '')).value).toEqual({ $class: 'shop.geometry.Point', $state: { x: 1, y: 2 } })
  })

  it('shows a datetime in a zone whose offset depends on the date as local time beside the zone', () => {
    expect(readPickle(fromBase64(pickles.zoneinfo ?? '')).value).toEqual({
      $class: 'datetime.datetime',
      $args: [{ $datetime: '2024-01-02T03:00:00' }, { $class: 'zoneinfo.ZoneInfo._unpickle', $args: ['Europe/Paris', 1] }],
    })
  })

  it('shows classes themselves as builtins.type of their name', () => {
    expect(readPickle(fromBase64(pickles.classItself ?? '')).value).toEqual([
      { $class: 'builtins.type', $args: ['builtins.int'] },
      { $class: 'builtins.type', $args: ['django.utils.datastructures.MultiValueDict'] },
    ])
  })

  it('marks a list that holds itself instead of recursing', () => {
    const read = readPickle(fromBase64(pickles.recursive ?? ''))
    expect(read.value).toEqual([1, { $class: RECURSION_MARKER }])
    expect(read.opaque).toBe(true)
  })

  it('keeps a value the memo shares as one shared object', () => {
    const value = readPickle(fromBase64(pickles.shared ?? '')).value as { x: unknown; y: unknown }
    expect(value.x).toEqual(['shared'])
    expect(value.x).toBe(value.y)
  })

  it('shows a dict subclass with the items SETITEMS gave it', () => {
    expect(readPickle(fromBase64(pickles.counter ?? '')).value).toEqual({ $class: 'collections.Counter', $args: [{ a: 2 }] })
  })
})

describe('refusing what it cannot read', () => {
  const cases: [string, string, string][] = [
    ['an empty value', '', 'E_CACHE_CORRUPT'],
    ['a pickle without STOP', '80044b01', 'E_CACHE_CORRUPT'],
    ['a string cut short', '80048c0568656c', 'E_CACHE_CORRUPT'],
    ['an unknown opcode', '8004ff2e', 'E_CACHE_CORRUPT'],
    ['protocol 6', '80064e2e', 'E_CACHE_CORRUPT'],
    ['a memo entry never stored', '8004680a2e', 'E_CACHE_CORRUPT'],
    ['APPEND to a number', '80044b014b02612e', 'E_CACHE_CORRUPT'],
    ['a stack underflow', '8004612e', 'E_CACHE_CORRUPT'],
    ['a MARK never opened', '80045d652e', 'E_CACHE_CORRUPT'],
    ['REDUCE without a tuple', '80044e4e522e', 'E_CACHE_CORRUPT'],
    ['a persistent ID', '80044e512e', 'E_CACHE_CORRUPT'],
    ['a copyreg extension code', '8004820a2e', 'E_CACHE_CORRUPT'],
    ['an out-of-band buffer', '8005972e', 'E_CACHE_CORRUPT'],
    ['text that is not UTF-8', '80048c02c3282e', 'E_CACHE_CORRUPT'],
    ['a protocol 0 INT that is not a number', '4931327a0a2e', 'E_CACHE_CORRUPT'],
    ['an integer of 10,000 bytes', `80048b10270000${'01'.repeat(10000)}2e`, 'E_TOO_LARGE'],
  ]
  for (const [what, hex, code] of cases) {
    it(`refuses ${what} with ${code} and a hint`, () => {
      const error = refusal(Buffer.from(hex, 'hex'))
      expect(error.code).toBe(code)
      expect(error.hint).toBeTruthy()
    })
  }

  it('says a truncated pickle was cut short', () => {
    expect(refusal(Buffer.from('80048c0568656c', 'hex')).hint).toMatch(/cut short/)
  })

  it('refuses a "billion laughs" pickle quickly, without expanding its shared references', () => {
    // Each level is a list of ten references to the level below: 10^40 leaves in under a kilobyte.
    const parts = ['8004', '4b01', '94']
    for (let level = 1; level <= 40; level++) parts.push('5d28', `6a${Buffer.from(Uint32Array.of(level - 1).buffer).toString('hex')}`.repeat(10), '6594')
    parts.push('2e')
    const data = Buffer.from(parts.join(''), 'hex')
    const started = performance.now()
    expect(refusal(data).code).toBe('E_TOO_LARGE')
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('reads a pickle that shares one part many times when its JSON stays small', () => {
    const parts = ['8004', '4b01', '94']
    for (let level = 1; level <= 10; level++) parts.push('5d28', `6a${Buffer.from(Uint32Array.of(level - 1).buffer).toString('hex')}`.repeat(2), '6594')
    parts.push('2e')
    // Level n prints as [level n-1, level n-1]: 4 · 2^n − 3 characters.
    expect(JSON.stringify(readPickle(Buffer.from(parts.join(''), 'hex')).value)).toHaveLength(4 * 2 ** 10 - 3)
  })

  it('refuses 100,000 nested MARKs, lists and tuples without a stack overflow', () => {
    const marks = Buffer.concat([Buffer.from('8004', 'hex'), Buffer.alloc(100_000, 0x28), Buffer.from('2e', 'hex')])
    const lists = Buffer.concat([Buffer.from('8004', 'hex'), Buffer.alloc(100_000, 0x5d), Buffer.alloc(99_999, 0x61), Buffer.from('2e', 'hex')])
    const tuples = Buffer.concat([Buffer.from('800429', 'hex'), Buffer.alloc(100_000, 0x85), Buffer.from('2e', 'hex')])
    for (const data of [marks, lists, tuples]) expect(refusal(data).code).toBe('E_TOO_LARGE')
  })

  it('reads nesting 1000 deep', () => {
    const lists = Buffer.concat([Buffer.from('8004', 'hex'), Buffer.alloc(1000, 0x5d), Buffer.alloc(999, 0x61), Buffer.from('2e', 'hex')])
    let value = readPickle(lists).value
    let depth = 0
    while (Array.isArray(value)) {
      depth++
      value = value[0]
    }
    expect(depth).toBe(1000)
  })

  it('refuses a value over 64 MiB before reading it', () => {
    expect(refusal(Buffer.alloc(64 * 1024 * 1024 + 1, 0x4e)).code).toBe('E_TOO_LARGE')
  })

  it('reads the second of two pickles in a row from where the first ended (the file cache)', () => {
    const two = Buffer.from('80044b052e80048c0268692e', 'hex')
    const first = readPickle(two)
    expect(first).toMatchObject({ value: 5, end: 5 })
    expect(readPickle(two, first.end).value).toBe('hi')
  })
})

withPython('fuzzing with damaged real pickles', () => {
  it('answers 2,000 mutations and truncations with a value or a typed error, each within a few ms', () => {
    const sources = python<Record<string, string>>('dump', { everything: VALUE_CASES.everything?.expr, mixed: "[MultiValueDict({'a': [1]}), Point(1, 2), {1, 2}, (1.5, 'x' * 300)]" }, { protocols: PROTOCOLS })
    const seeds = Object.values(sources).flatMap((byProtocol) => Object.values(byProtocol).map(fromBase64))
    let state = 0x9e3779b9
    const random = (n: number): number => {
      // xorshift32: the same 2,000 inputs every run.
      state ^= state << 13
      state ^= state >>> 17
      state ^= state << 5
      return (state >>> 0) % n
    }
    const outcomes = { value: 0, corrupt: 0, tooLarge: 0 }
    const slow: Buffer[] = []
    for (let round = 0; round < 2000; round++) {
      const seed = seeds[random(seeds.length)] as Buffer
      let data = Buffer.from(seed)
      const kind = random(4)
      if (kind === 0) data = data.subarray(0, random(data.length))
      else if (kind === 1) for (let k = 0; k <= random(4); k++) data[random(data.length)] = random(256)
      else if (kind === 2) data = Buffer.concat([data.subarray(0, random(data.length)), Buffer.from([random(256), random(256)]), data.subarray(random(data.length))])
      else data[random(data.length)] = [0x28, 0x2e, 0x30, 0x68, 0x52, 0x62, 0x65, 0x73, 0x93, 0xff][random(10)] as number
      const started = performance.now()
      try {
        JSON.stringify(readPickle(data).value)
        outcomes.value++
      } catch (error) {
        if (!(error instanceof BackplaneError)) throw new Error(`input ${data.toString('hex')} threw ${String(error)}`, { cause: error })
        expect(['E_CACHE_CORRUPT', 'E_TOO_LARGE'], data.toString('hex')).toContain(error.code)
        if (error.code === 'E_CACHE_CORRUPT') outcomes.corrupt++
        else outcomes.tooLarge++
      }
      if (performance.now() - started > 20) slow.push(data)
    }
    expect(outcomes.corrupt).toBeGreaterThan(500)
    expect(outcomes.value).toBeGreaterThan(50)
    // An input that is slow to read is slow every time; one that was slow once met a busy machine or the GC.
    for (const data of slow) {
      let fastest = Infinity
      for (let run = 0; run < 3; run++) {
        const started = performance.now()
        try {
          readPickle(data)
        } catch {
          // Refused: its time is what counts.
        }
        fastest = Math.min(fastest, performance.now() - started)
      }
      expect(fastest, data.toString('hex')).toBeLessThan(20)
    }
  })
})
