import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { SYSTEM_PYTHON, requirePythonModule } from '../../../../test/support/services'
import { murmur3Python, parseLocation, selectServer } from './memcached-ring'

const KEYS = ['', 'a', 'ab', 'abc', 'abcd', ':1:user:42', 'site:3:session:é', 'ключ-😀', '日本語のキー', 'x'.repeat(250), ...Array.from({ length: 200 }, (_, i) => `:1:k${i}`)]
const NODES = ['127.0.0.1:51211', '127.0.0.1:52000', '10.0.0.7:11211', '/run/memcached.sock']

/** What pymemcache itself answers: murmur3_32 of each text, and HashClient's server for each key. */
function pymemcacheAnswers(): { hashes: number[]; chosen: string[] } {
  const script = `
import json, sys
from pymemcache.client.hash import HashClient
from pymemcache.client.murmur3 import murmur3_32
req = json.load(sys.stdin)
client = HashClient(req["servers"])
print(json.dumps({
  "hashes": [murmur3_32(k) for k in req["keys"]],
  "chosen": [client.hasher.get_node(k) for k in req["keys"]],
}))`
  const servers = ['127.0.0.1:51211', '127.0.0.1:52000', '10.0.0.7', 'unix:/run/memcached.sock']
  const out = spawnSync(SYSTEM_PYTHON, ['-c', script], { input: JSON.stringify({ keys: KEYS, servers }), encoding: 'utf8' })
  if (out.status !== 0) throw new Error(out.stderr)
  return JSON.parse(out.stdout) as { hashes: number[]; chosen: string[] }
}

const withPymemcache = requirePythonModule('pymemcache', 'python3-pymemcache', 'memcached server selection against pymemcache') ? describe : describe.skip

withPymemcache('memcached server selection, as pymemcache\'s HashClient', () => {
  it('hashes every key as pymemcache\'s murmur3_32 does, non-ASCII and emoji included, and picks the same server for each', () => {
    const python = pymemcacheAnswers()
    expect(KEYS.map((k) => murmur3Python(k))).toEqual(python.hashes)
    const servers = parseLocation('127.0.0.1:51211;127.0.0.1:52000,10.0.0.7;unix:/run/memcached.sock')
    expect(servers.map((s) => s.node)).toEqual(NODES)
    expect(KEYS.map((k) => selectServer(servers, k).node)).toEqual(python.chosen)
    // Four servers and 210 keys: each server gets some, or the comparison above proves little.
    expect(new Set(python.chosen).size).toBe(4)
  })
})

describe('memcached LOCATION, as Django and pymemcache read it', () => {
  it('splits a string on ";" and ",", takes a list as it is, and defaults the port to 11211', () => {
    expect(parseLocation('a:1, b ;c').map((s) => s.node)).toEqual(['a:1', 'b:11211', 'c:11211'])
    expect(parseLocation(['[::1]:11212', '[::1]']).map((s) => [s.node, s.host, s.port])).toEqual([
      ['::1:11212', '::1', 11212],
      ['::1:11211', '::1', 11211],
    ])
    expect(parseLocation('unix:/tmp/mc.sock')[0]).toMatchObject({ node: '/tmp/mc.sock', socketPath: '/tmp/mc.sock' })
  })

  it('refuses an empty location, a bad port and a server named twice, with a hint', () => {
    for (const bad of ['', ' ; ', 'host:port', 'host:0', 'a:1;a:1', ':11211']) {
      expect(() => parseLocation(bad), bad).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTIONS', hint: expect.any(String) }))
    }
  })

  it('always picks the one server when there is one', () => {
    const [only] = parseLocation('127.0.0.1:1')
    expect(selectServer([only!], 'anything')).toBe(only)
  })
})
