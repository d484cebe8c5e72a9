import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { djcacheName, encodeExpiry } from '../backends/cache/engines/djcache-format'

// Entries as a hostile or broken peer would leave them in a shared cache, planted past Backplane (a
// raw Redis or Memcached client, files in the folder, rows in the table), for the fuzz to read back.

/** Should a pickle ever be executed, this file would appear. */
export const PWNED = join(tmpdir(), `bp-engines-fuzz-pwned-${process.pid}`)

const op = (text: string) => [...Buffer.from(text, 'latin1')]
const pickle = (body: number[], protocol = 2) => Buffer.from([0x80, protocol, ...body, 0x2e])

/** Pickles that nest, loop, repeat, execute, lie about lengths or stop short. */
export const HOSTILE_PICKLES: Record<string, Buffer> = {
  // 100,000 lists each appended into the one below: deep without a single MARK.
  deep: pickle([...op(']'.repeat(100_000)), ...op('a'.repeat(99_999))]),
  // A list that holds itself, and a dict that does.
  cycle: pickle([...op(']'), 0x71, 0, 0x68, 0, ...op('a')]),
  dictCycle: pickle([...op('}'), 0x71, 0, 0x58, 1, 0, 0, 0, ...op('k'), 0x68, 0, ...op('s')]),
  // Billion laughs: each list holds the one before twice, 40 times over (2^40 leaves as JSON).
  laughs: pickle([...op(']'), 0x71, 0, ...Array.from({ length: 40 }, (_, i) => [...op(']('), 0x68, i, 0x68, i, ...op('e'), 0x71, i + 1]).flat()]),
  // os.system('touch PWNED'), in protocol 0 as an old pickle would carry it.
  system: Buffer.from(`cos\nsystem\n(S'touch ${PWNED}'\ntR.`, 'latin1'),
  // A global that exists and one that does not, built with NEWOBJ and BUILD.
  newobj: pickle([...op('cdatetime\ndatetime\n'), ...op(')'), 0x81, ...op('}'), 0x58, 1, 0, 0, 0, ...op('x'), 0x4b, 1, ...op('b')]),
  unknownGlobal: pickle([...op('cno.such\nThing\n'), ...op(')'), 0x81]),
  // A 200,000-byte integer (LONG4), past Python's own 4,300-digit print limit.
  hugeInt: pickle([0x8b, 0x40, 0x0d, 0x03, 0x00, ...Buffer.alloc(200_000, 0x7f)]),
  // BINUNICODE that claims 4 GB and carries 3 bytes; SHORT_BINBYTES cut short.
  lyingLength: pickle([0x58, 0xf0, 0xff, 0xff, 0xff, ...op('abc')]),
  cutShort: Buffer.from([0x80, 4, 0x43, 100, ...op('only a few')]),
  // MEMOIZE-free BINGET of an entry never stored, a STOP-less stream, an unknown opcode, nothing at all.
  danglingMemo: pickle([0x68, 7]),
  noStop: Buffer.from([0x80, 2, ...op(']')]),
  badOpcode: pickle([0xff]),
  empty: Buffer.alloc(0),
  // Not a pickle: the first bytes of a PNG, text that is not UTF-8.
  png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  latin1: Buffer.from('caf\xe9', 'latin1'),
}

/** `set` on memcached's text protocol with the flags given, as pymemcache would write them (or not). */
export async function memcachedSet(port: number, key: string, flags: number, bytes: Buffer): Promise<void> {
  const socket = createConnection(port, '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    let answer = ''
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1')
      if (answer.endsWith('\r\n')) {
        socket.end()
        if (answer.startsWith('STORED')) resolve()
        else reject(new Error(`memcached answered ${answer.trim()} for ${key}`))
      }
    })
    socket.on('error', reject)
    socket.write(Buffer.concat([Buffer.from(`set ${key} ${flags >>> 0} 0 ${bytes.length}\r\n`), bytes, Buffer.from('\r\n')]))
  })
}

/** Flags and bytes no pymemcache writes together. */
export const HOSTILE_MEMCACHED: Record<string, [flags: number, bytes: Buffer]> = {
  intNotDigits: [2, Buffer.from('12abc')],
  longHuge: [4, Buffer.from('9'.repeat(100_000))],
  textNotUtf8: [16, Buffer.from([0xc3, 0x28, 0xff])],
  compressedGarbage: [8 | 1, Buffer.from('not zlib at all')],
  compressedBomb: [8 | 16, deflateSync(Buffer.alloc(200 * 1024 * 1024, 0x61))],
  allFlags: [0xffffffff, Buffer.from('x')],
  unknownFlag: [1 << 9, Buffer.from('x')],
}

/**
 * Files under the names entries of `storedKey(name)` would have: hostile pickles Django-framed, and
 * things that are no entry at all (a FIFO, a folder, a link out of the folder, a 3 GB sparse file, a
 * zlib bomb, a file cut inside its header).
 */
export function plantFiles(dir: string, storedKey: (name: string) => string): string[] {
  const path = (name: string) => join(dir, djcacheName(storedKey(name)))
  const names: string[] = []
  for (const [name, bytes] of Object.entries(HOSTILE_PICKLES)) {
    writeFileSync(path(name), Buffer.concat([encodeExpiry(null), deflateSync(bytes)]))
    names.push(name)
  }
  const plant = (name: string, make: (file: string) => void) => {
    make(path(name))
    names.push(name)
  }
  plant('fifo', (file) => execFileSync('mkfifo', [file]))
  plant('folder', (file) => mkdirSync(file))
  plant('linkOut', (file) => symlinkSync('/etc/passwd', file))
  plant('sparse', (file) => {
    writeFileSync(file, Buffer.concat([encodeExpiry(null), deflateSync(Buffer.from([0x80, 2, 0x4e, 0x2e]))]))
    truncateSync(file, 3 * 1024 ** 3)
  })
  plant('zlibBomb', (file) => writeFileSync(file, Buffer.concat([encodeExpiry(null), deflateSync(Buffer.alloc(300 * 1024 * 1024, 0x61))])))
  plant('cutHeader', (file) => writeFileSync(file, encodeExpiry(Date.now() / 1000 + 3600).subarray(0, 9)))
  plant('expiryNaN', (file) => {
    const header = encodeExpiry(1)
    header.writeDoubleBE(Number.NaN, 12)
    writeFileSync(file, Buffer.concat([header, deflateSync(Buffer.from([0x80, 2, 0x4e, 0x2e]))]))
  })
  return names
}

/** Rows of a Django cache table that no Django wrote: [value, expires] as SQLite holds them. */
export const HOSTILE_ROWS: Record<string, [value: unknown, expires: unknown]> = {
  ...Object.fromEntries(Object.entries(HOSTILE_PICKLES).map(([name, bytes]) => [name, [bytes.toString('base64'), '9999-12-31 23:59:59']])),
  notBase64: ['!!!not base64!!!', '9999-12-31 23:59:59'],
  valueNumber: [12345, '9999-12-31 23:59:59'],
  expiresGarbage: [Buffer.from([0x80, 2, 0x4e, 0x2e]).toString('base64'), 'not a date'],
  expiresNumber: [Buffer.from([0x80, 2, 0x4e, 0x2e]).toString('base64'), 1e300],
  expiresYear0: [Buffer.from([0x80, 2, 0x4e, 0x2e]).toString('base64'), '0000-00-00 00:00:00'],
}
