import assert from 'node:assert/strict'
import { ErrorCode } from '../../core/errors'
import { rejectsWithCode } from './harness'
import { inBatches, namesIn, read, storageCase } from './storage-tools'

/** What the file browser does with folders: make them, copy and move trees, delete them, page through big ones. */
export const folderCases = [
  storageCase('folders', 'makes a folder, nested ones with the folders above them, and refuses one where a file is', async (storage, dir) => {
    await storage.makeFolder(`${dir}/empty`)
    await storage.makeFolder(`${dir}/a/b/c`)
    for (const name of [`${dir}/empty`, `${dir}/a`, `${dir}/a/b`, `${dir}/a/b/c`]) assert.equal((await storage.stat(name)).type, 'dir', `${name} is not a folder`)
    assert.deepEqual(await namesIn(storage, dir), [`${dir}/a`, `${dir}/empty`])
    // Again is fine: the folder is there.
    await storage.makeFolder(`${dir}/a/b`)
    await storage.put(`${dir}/file.txt`, 'x')
    await rejectsWithCode(storage.makeFolder(`${dir}/file.txt`), ErrorCode.E_EXISTS, 'makeFolder() of a file')
    assert.equal(await read(storage, `${dir}/file.txt`), 'x')
  }),
  storageCase('file-in-the-way', 'refuses a folder or file under a name that is a file (E_NOT_A_DIRECTORY)', async (storage, dir, t) => {
    if (storage.features.folders === 'prefix') t.skip('folders are only prefixes of names here: "a.txt/b" is a name like any other')
    await storage.put(`${dir}/plain.txt`, 'x')
    await rejectsWithCode(storage.makeFolder(`${dir}/plain.txt/sub`), ErrorCode.E_NOT_A_DIRECTORY, 'makeFolder() under a file')
    await rejectsWithCode(storage.put(`${dir}/plain.txt/inside.txt`, 'x'), ErrorCode.E_NOT_A_DIRECTORY, 'put() under a file')
    assert.equal(await storage.exists(`${dir}/plain.txt/inside.txt`), false)
    assert.equal(await read(storage, `${dir}/plain.txt`), 'x')
  }),
  storageCase('copy', 'copies a file and a whole folder, refusing a taken target unless told to replace it', async (storage, dir) => {
    await storage.put(`${dir}/src/one.txt`, 'one')
    await storage.put(`${dir}/src/deep/two.txt`, 'two')
    await storage.copy(`${dir}/src/one.txt`, `${dir}/one-copy.txt`)
    assert.equal(await read(storage, `${dir}/one-copy.txt`), 'one')
    await storage.copy(`${dir}/src`, `${dir}/dst`)
    assert.equal(await read(storage, `${dir}/dst/one.txt`), 'one')
    assert.equal(await read(storage, `${dir}/dst/deep/two.txt`), 'two')
    assert.equal(await read(storage, `${dir}/src/deep/two.txt`), 'two')
    await rejectsWithCode(storage.copy(`${dir}/src/deep/two.txt`, `${dir}/one-copy.txt`), ErrorCode.E_EXISTS, 'copy() onto a taken file')
    await rejectsWithCode(storage.copy(`${dir}/src`, `${dir}/dst`), ErrorCode.E_EXISTS, 'copy() of a folder onto a taken name')
    assert.equal(await read(storage, `${dir}/one-copy.txt`), 'one')
    await storage.copy(`${dir}/src/deep/two.txt`, `${dir}/one-copy.txt`, { overwrite: true })
    assert.equal(await read(storage, `${dir}/one-copy.txt`), 'two')
    await rejectsWithCode(storage.copy(`${dir}/missing`, `${dir}/x`), ErrorCode.E_NOT_FOUND, 'copy() of a missing name')
    await rejectsWithCode(storage.copy(`${dir}/src`, `${dir}/src/inside`), ErrorCode.E_INVALID_INPUT, 'copy() of a folder into itself')
  }),
  storageCase('move', 'moves a file and a whole folder, refusing a taken target unless told to replace it', async (storage, dir) => {
    await storage.put(`${dir}/a.txt`, 'a')
    await storage.put(`${dir}/b.txt`, 'b')
    await storage.put(`${dir}/tree/x.txt`, 'x')
    await storage.put(`${dir}/tree/sub/y.txt`, 'y')
    await storage.move(`${dir}/a.txt`, `${dir}/renamed/a.txt`)
    assert.equal(await storage.exists(`${dir}/a.txt`), false)
    assert.equal(await read(storage, `${dir}/renamed/a.txt`), 'a')
    await rejectsWithCode(storage.move(`${dir}/b.txt`, `${dir}/renamed/a.txt`), ErrorCode.E_EXISTS, 'move() onto a taken file')
    assert.equal(await read(storage, `${dir}/b.txt`), 'b')
    assert.equal(await read(storage, `${dir}/renamed/a.txt`), 'a')
    await storage.move(`${dir}/b.txt`, `${dir}/renamed/a.txt`, { overwrite: true })
    assert.equal(await read(storage, `${dir}/renamed/a.txt`), 'b')
    assert.equal(await storage.exists(`${dir}/b.txt`), false)
    await storage.move(`${dir}/tree`, `${dir}/moved-tree`)
    assert.equal(await storage.exists(`${dir}/tree`), false)
    assert.equal(await read(storage, `${dir}/moved-tree/sub/y.txt`), 'y')
    assert.equal(await read(storage, `${dir}/moved-tree/x.txt`), 'x')
    await rejectsWithCode(storage.move(`${dir}/moved-tree`, `${dir}/renamed`), ErrorCode.E_EXISTS, 'move() of a folder onto a taken name')
    assert.equal(await read(storage, `${dir}/moved-tree/x.txt`), 'x')
    await rejectsWithCode(storage.move(`${dir}/missing.txt`, `${dir}/x.txt`), ErrorCode.E_NOT_FOUND, 'move() of a missing name')
  }),
  storageCase('delete-tree', 'deletes a folder with everything in it, and nothing beside it', async (storage, dir) => {
    await storage.put(`${dir}/tree/a.txt`, 'a')
    await storage.put(`${dir}/tree/sub/b.txt`, 'b')
    await storage.makeFolder(`${dir}/tree/sub/empty`)
    await storage.put(`${dir}/tree-sibling.txt`, 'kept')
    await storage.delete(`${dir}/tree`)
    for (const name of [`${dir}/tree`, `${dir}/tree/a.txt`, `${dir}/tree/sub/b.txt`, `${dir}/tree/sub/empty`]) assert.equal(await storage.exists(name), false, `${name} is still there`)
    assert.deepEqual(await namesIn(storage, dir), [`${dir}/tree-sibling.txt`])
  }),
  storageCase('remove-if-empty', 'removes a folder only while it is empty, and nothing else: not a full folder, a file, the root', async (storage, dir) => {
    await storage.makeFolder(`${dir}/empty/inner`)
    assert.equal(await storage.removeFolderIfEmpty(`${dir}/empty`), false, 'a folder holding a folder is not empty')
    assert.equal(await storage.removeFolderIfEmpty(`${dir}/empty/inner`), true)
    assert.equal(await storage.exists(`${dir}/empty/inner`), false)
    // Where folders are prefixes of names, the one above went with the last name under it.
    if (storage.features.folders === 'real') assert.equal(await storage.removeFolderIfEmpty(`${dir}/empty`), true)
    assert.equal(await storage.exists(`${dir}/empty`), false)
    await storage.put(`${dir}/full/a.txt`, 'kept')
    assert.equal(await storage.removeFolderIfEmpty(`${dir}/full`), false)
    assert.equal(await read(storage, `${dir}/full/a.txt`), 'kept')
    assert.equal(await storage.removeFolderIfEmpty(`${dir}/full/a.txt`), false)
    assert.equal(await read(storage, `${dir}/full/a.txt`), 'kept')
    assert.equal(await storage.removeFolderIfEmpty(`${dir}/never-made`), false)
    assert.equal(await storage.removeFolderIfEmpty(''), false)
    assert.equal(await storage.exists(`${dir}/full/a.txt`), true)
  }),
  storageCase('paging', 'pages through 120 entries with cursors: sorted in code unit order, none twice, none missed', async (storage, dir) => {
    // Upper case and non-ASCII names sort elsewhere in a locale's order ("Z" after "f", "é" before it)
    // than in code unit order ("Z" first, "é" last): a page cut in the wrong order skips or repeats.
    const expected = [...Array.from({ length: 120 }, (_, i) => `${dir}/f${String(i).padStart(3, '0')}.txt`), `${dir}/Z.txt`, `${dir}/é.txt`, `${dir}/B.txt`]
    await inBatches(expected, 20, (name) => storage.put(name, 'x'))
    await storage.makeFolder(`${dir}/f050-folder`)
    expected.push(`${dir}/f050-folder`)
    expected.sort()
    const seen = await namesIn(storage, dir, 25)
    assert.deepEqual(seen, expected)
    const first = await storage.list(dir, { limit: 25 })
    assert.equal(first.entries.length, 25)
    assert.notEqual(first.cursor, null)
    const last = await storage.list(dir, { limit: 500 })
    assert.equal(last.cursor, null)
    assert.equal(last.entries.find((e) => e.name === `${dir}/f050-folder`)?.type, 'dir')
    assert.equal(last.entries.find((e) => e.name === `${dir}/f000.txt`)?.size, 1)
  }),
  storageCase('filter', 'lists only the entries whose own name contains a text, ignoring case, across pages, none twice', async (storage, dir) => {
    const matching = [`${dir}/Report-A.TXT`, `${dir}/annual report.pdf`, `${dir}/reports`, `${dir}/x-REPORT`]
    const others = Array.from({ length: 40 }, (_, i) => `${dir}/log-${String(i).padStart(2, '0')}.txt`)
    await inBatches([...others, `${dir}/x-REPORT`, `${dir}/Report-A.TXT`, `${dir}/annual report.pdf`], 20, (name) => storage.put(name, 'x'))
    // A folder that matches is listed; what is in it is not (a listing is one folder), and a file in it is
    // matched on its own name, not on its folder's.
    await storage.put(`${dir}/reports/q1.txt`, 'x')
    await storage.put(`${dir}/reports/report-q2.txt`, 'x')
    assert.deepEqual(await namesIn(storage, dir, 1, 'rEpOrT'), [...matching].sort())
    assert.deepEqual(await namesIn(storage, dir, 500, 'report'), [...matching].sort())
    assert.deepEqual(await namesIn(storage, `${dir}/reports`, 500, 'report'), [`${dir}/reports/report-q2.txt`])
    // Text, not a pattern.
    assert.deepEqual(await namesIn(storage, dir, 500, '.*'), [])
    assert.deepEqual(await namesIn(storage, dir, 500, ' '), [`${dir}/annual report.pdf`])
    const nothing = await storage.list(dir, { contains: 'no such name' })
    assert.deepEqual([nothing.entries, nothing.cursor], [[], null])
  }),
  storageCase('unicode', 'keeps names with spaces and non-ASCII letters through put, list, stat, open, copy and move', async (storage, dir) => {
    const folder = `${dir}/Grüße aus Köln`
    const name = `${folder}/naïve café 世界 😀 (1).txt`
    assert.equal(await storage.put(name, 'bonjour'), name)
    assert.deepEqual(await namesIn(storage, dir), [folder])
    assert.deepEqual(await namesIn(storage, folder), [name])
    assert.equal((await storage.stat(name)).size, 7)
    assert.equal(await read(storage, name), 'bonjour')
    await storage.copy(name, `${folder}/コピー.txt`)
    await storage.move(`${folder}/コピー.txt`, `${folder}/déplacé %2F #?.txt`)
    assert.deepEqual(await namesIn(storage, folder), [`${folder}/déplacé %2F #?.txt`, name])
    assert.equal(await read(storage, `${folder}/déplacé %2F #?.txt`), 'bonjour')
  }),
]
