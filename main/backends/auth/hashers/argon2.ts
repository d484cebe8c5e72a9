import { hashRaw } from '@node-rs/argon2'
import { badHash, boundedInt, constantTimeEqual, refusedParameters, splitFields, strictBase64 } from './encoded-fields'
import type { DecodedHash, PasswordHasher } from './hasher'
import { onHashingSlot } from './hashing-slots'
import { COST_LIMITS } from './limits'
import { randomSalt, saltReason } from './salt'

// @node-rs/argon2's Algorithm and Version are `const enum`s, which isolatedModules cannot import: their values.
const VARIETIES = { argon2d: 0, argon2i: 1, argon2id: 2 } as const
const VERSIONS = { 16: 0, 19: 1 } as const
type Variety = keyof typeof VARIETIES

/** Django's Argon2PasswordHasher defaults (argon2-cffi's hash length, libargon2's current version). */
export const ARGON2_DEFAULTS = { variety: 'argon2id' as Variety, version: 19, timeCost: 2, memoryCost: 102_400, parallelism: 8, hashBytes: 16 }

interface Argon2Params {
  variety: Variety
  version: 16 | 19
  memoryCost: number
  timeCost: number
  parallelism: number
}

const ALGORITHM = 'argon2'
const SHAPE = 'argon2$variety$v=19$m=…,t=…,p=…$salt$hash'
const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '')

function parse(encoded: string) {
  let fields: string[]
  try {
    fields = splitFields(ALGORITHM, encoded, 6, SHAPE)
  } catch (err) {
    // libargon2 before 2016 wrote no "v=" field; argon2-cffi, and so Django, still read such hashes, as version 0x10.
    fields = splitFields(ALGORITHM, encoded, 5, SHAPE)
    fields.splice(2, 0, 'v=16')
    if (!fields[3]?.startsWith('m=')) throw err
  }
  const [, variety, versionField, costs, saltText, hashText] = fields
  if (!(variety! in VARIETIES)) throw badHash(ALGORITHM, `unknown variety "${variety!.slice(0, 20)}" (argon2id, argon2i or argon2d)`)
  const version = /^v=(\d+)$/.exec(versionField!)?.[1]
  if (version !== '16' && version !== '19') throw badHash(ALGORITHM, `version "${versionField!.slice(0, 20)}" is neither v=19 nor v=16`)
  // libargon2 reads the costs in this order only (argon2-cffi hands it the string as it is).
  const cost = /^m=(\d+),t=(\d+),p=(\d+)$/.exec(costs!)
  if (!cost) throw badHash(ALGORITHM, `costs "${costs!.slice(0, 40)}" are not "m=…,t=…,p=…"`)
  const parallelism = boundedInt(ALGORITHM, 'parallelism', cost[3], 1, COST_LIMITS.argon2Parallelism)
  const memoryCost = boundedInt(ALGORITHM, 'the memory cost (KiB)', cost[1], 8 * parallelism, COST_LIMITS.argon2MemoryKiB)
  const timeCost = boundedInt(ALGORITHM, 'the time cost', cost[2], 1, COST_LIMITS.argon2TimeCost)
  if (memoryCost * timeCost > COST_LIMITS.argon2Work) {
    throw badHash(ALGORITHM, `memory × time cost ${memoryCost * timeCost} is above ${COST_LIMITS.argon2Work}, the most Backplane will spend on one check`)
  }
  const salt = strictBase64(ALGORITHM, 'salt', saltText!)
  if (salt.length < 8) throw badHash(ALGORITHM, `the salt is ${salt.length} bytes, argon2 needs at least 8`)
  const digest = strictBase64(ALGORITHM, 'hash', hashText!)
  if (digest.length < 4 || digest.length > COST_LIMITS.argon2MaxHashBytes) throw badHash(ALGORITHM, `the hash is ${digest.length} bytes, not 4 to ${COST_LIMITS.argon2MaxHashBytes}`)
  const params: Argon2Params = { variety: variety as Variety, version: Number(version) as 16 | 19, memoryCost, timeCost, parallelism }
  return { params, salt, digest, hashText: hashText! }
}

function derive(password: string, salt: Buffer, p: Argon2Params, outputLen: number): Promise<Buffer> {
  // hashRaw runs on libuv's thread pool (a napi AsyncTask), on a hashing slot.
  return onHashingSlot(() => hashRaw(password, {
    salt,
    outputLen,
    memoryCost: p.memoryCost,
    timeCost: p.timeCost,
    parallelism: p.parallelism,
    algorithm: VARIETIES[p.variety],
    version: VERSIONS[p.version],
  }))
}

/**
 * Django's Argon2PasswordHasher: `argon2` + argon2-cffi's PHC string, `$argon2id$v=19$m=102400,t=2,p=8$salt$hash`,
 * with Django's 22-character salt (its bytes, base64 without padding) and a 16-byte hash. Verifies every
 * variety and version Django ever stored.
 */
export function argon2Hasher(defaults = ARGON2_DEFAULTS): PasswordHasher {
  const current: Argon2Params = { ...defaults, version: defaults.version as 16 | 19 }
  const updateReasons = (encoded: string) => {
    const { params, salt, digest } = parse(encoded)
    const reasons: string[] = []
    const differs = (what: string, have: string | number, want: string | number) => {
      if (have !== want) reasons.push(`${what} ${have}, the preferred hasher uses ${want}`)
    }
    differs('variety', params.variety, current.variety)
    differs('version', params.version, current.version)
    differs('memory cost (KiB)', params.memoryCost, current.memoryCost)
    differs('time cost', params.timeCost, current.timeCost)
    differs('parallelism', params.parallelism, current.parallelism)
    differs('hash length (bytes)', digest.length, defaults.hashBytes)
    return [...reasons, ...saltReason(salt.toString('latin1'))]
  }
  return {
    algorithm: ALGORITHM,
    encodes: true,
    saltShown: 6,
    async encode(password, salt = randomSalt()) {
      const saltBytes = Buffer.from(salt)
      const digest = await derive(password, saltBytes, current, defaults.hashBytes)
      const p = current
      return `${ALGORITHM}$${p.variety}$v=${p.version}$m=${p.memoryCost},t=${p.timeCost},p=${p.parallelism}$${b64(saltBytes)}$${b64(digest)}`
    },
    async verify(password, encoded) {
      const { params, salt, digest } = parse(encoded)
      return constantTimeEqual(await derive(password, salt, params, digest.length).catch(refusedParameters(ALGORITHM)), digest)
    },
    decode(encoded): DecodedHash {
      const { params, salt, hashText } = parse(encoded)
      return {
        algorithm: ALGORITHM,
        // Django shows the salt's bytes as latin-1.
        salt: salt.toString('latin1'),
        hash: hashText,
        parameters: { variety: params.variety, version: params.version, 'memory cost': params.memoryCost, 'time cost': params.timeCost, parallelism: params.parallelism },
      }
    },
    updateReasons,
    mustUpdate: (encoded) => updateReasons(encoded).length > 0,
    // Django: "The runtime for Argon2 is too complicated to implement a sensible hardening algorithm."
    hardenRuntime: async () => {},
  }
}
