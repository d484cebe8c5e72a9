import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs'
import { readdir, rm, stat } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { startS3Server } from '../test/support/s3-server'
import { makeBigFile, megabytesPerSecond, MiB } from './support/big-file'
import { startChildServer } from './support/child-server'
import { getHashed, putFile } from './support/http-stream'
import { watchRss } from './support/process-memory'
import { rclone, rcloneCat, rcloneEnv, rcloneVersion } from './support/rclone'
import { copyThroughBackplane } from './support/storage-copy'
import { configureAliases, S3_BUCKET, type BenchAlias } from './support/storage-aliases'
import { startServe, type ServeChild } from './support/storage-serve'
import { latencyStats, round } from './support/stats'

const FILE_MIB = Number(process.env.BENCH_STORAGE_MIB ?? 1024)
const FOLDER_ENTRIES = Number(process.env.BENCH_STORAGE_ENTRIES ?? 100_000)
const PAGE = 500
const WARM_PAGES = 20
const TARGETS = { rssGrowthMiB: 64, copyShareOfCp: 0.7, firstPageMs: 200 }
/** One transfer slower than this (under 5 MB/s for the 1 GiB file) is given up, so that a hang costs its part, not the run. */
const LEG_TIMEOUT_MS = Math.max(30_000, Math.round(((FILE_MIB * MiB) / 5e6) * 1000))

interface BigFile {
  path: string
  /** Its name inside the filesystem alias. */
  name: string
  bytes: number
  sha256: string
}

interface Leg {
  ms: number
  MBps: number
  rss: ReturnType<ReturnType<typeof watchRss>['stop']>
}

/**
 * The storage kind as users run it: a `backplane serve` child with filesystem, SFTP (the testbed's
 * OpenSSH) and S3 (s3rver, started here) aliases; a 1 GiB file PUT and GET through
 * /api/v1/storage/<alias>/<name> with the serve process's RSS growth, beside a bare node:http server
 * doing the same on files; the filesystem copy beside `cp`; SFTP and S3 beside rclone on the same file
 * and servers; and the first page of a 100,000-entry folder through POST /rpc/storage.list beside a bare
 * fs.readdir. A part whose engine, route or server is not there says why in `skipped`.
 */
export async function storageBench(): Promise<unknown> {
  const work = join(tmpdir(), `backplane-bench-storage-${process.pid}`)
  const fsRoot = join(work, 'files')
  mkdirSync(fsRoot, { recursive: true })
  const stops: (() => Promise<unknown>)[] = []
  // Throughput on a shared machine moves with its load; the figures say what it was.
  const loadAverageAtStart = loadavg().map((l) => round(l, 2))
  try {
    progress(`making a ${FILE_MIB} MiB file`)
    const made = await makeBigFile(join(fsRoot, 'source.bin'), FILE_MIB)
    const file: BigFile = { path: join(fsRoot, 'source.bin'), name: 'source.bin', ...made }
    const s3 = await startS3Server({ buckets: [S3_BUCKET] }).catch((err: Error) => `s3rver did not start: ${err.message}`)
    if (typeof s3 !== 'string') stops.push(() => s3.stop())
    const serve = await startServe(join(work, 'home'))
    stops.push(() => serve.stop())
    const aliases = await configureAliases(serve, fsRoot, s3)
    const env = rcloneEnv(aliases.remotes, join(work, 'rclone.conf'))
    if (aliases.remotes.sftp) stops.push(() => rclone(['purge', `bpsftp:${aliases.sftpFolder}`], env).catch(() => undefined))

    const bare = await section('bare node:http reference', () => bareHttpRoundTrip(file, join(work, 'bare')))
    const transfers = {
      filesystem: await section('filesystem PUT/GET', () => roundTrip(serve, aliases.filesystem, file)),
      sftp: await section('SFTP PUT/GET', () => roundTrip(serve, aliases.sftp, file)),
      s3: await section('S3 PUT/GET', () => roundTrip(serve, aliases.s3, file)),
    }
    const copy = await section('filesystem copy vs cp', () => copyVsCp(serve, aliases.filesystem, file, fsRoot))
    const version = await rcloneVersion()
    const rcloneFigures = {
      version: version ?? null,
      sftp: await section('rclone SFTP', () => besideRclone(version, transfers.sftp, aliases.remotes.sftp && `bpsftp:${aliases.sftpFolder}/rclone.bin`, file, env)),
      s3: await section('rclone S3', () => besideRclone(version, transfers.s3, aliases.remotes.s3 && `bps3:${S3_BUCKET}/rclone.bin`, file, env)),
    }
    const listing = await section('first page of a big folder', () => firstPage(serve, aliases.filesystem, fsRoot))
    return { name: 'storage', fileMiB: FILE_MIB, loadAverageAtStart, targets: TARGETS, reference: bare, transfers, copy, rclone: rcloneFigures, listing }
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined)
    rmSync(work, { recursive: true, force: true })
  }
}

function progress(what: string) {
  process.stderr.write(`bench: storage ${what}…\n`)
}

async function section<T extends object>(name: string, run: () => Promise<T>): Promise<T | { skipped: string }> {
  progress(name)
  try {
    return await run()
  } catch (err) {
    return { skipped: `failed: ${(err as Error).message}` }
  }
}

/**
 * Waits for the dirty pages of what came before to reach the disk (sync(1), untimed): a 1 GiB write
 * leaves about that much for the kernel to write back, and whichever side ran next would pay for it.
 */
function settleWriteback(): Promise<void> {
  // Bounded: on a machine others keep writing to, sync could wait on their data for long.
  return run('sync', [], 60_000).catch(() => undefined)
}

async function timedLeg(pid: number, run: (signal: AbortSignal) => Promise<unknown>, bytes: number): Promise<Leg> {
  await settleWriteback()
  const signal = AbortSignal.timeout(LEG_TIMEOUT_MS)
  const watch = watchRss(pid)
  const t0 = performance.now()
  try {
    await run(signal)
  } catch (err) {
    throw signal.aborted ? new Error(`no answer within ${LEG_TIMEOUT_MS / 1000} s`) : err
  } finally {
    watch.stop()
  }
  const ms = performance.now() - t0
  return { ms: Math.round(ms), MBps: megabytesPerSecond(bytes, ms), rss: watch.stop() }
}

function checkHash(file: BigFile, got: { bytes: number; sha256: string }) {
  if (got.bytes !== file.bytes || got.sha256 !== file.sha256) throw new Error(`the download differs: ${got.bytes} bytes, SHA-256 ${got.sha256.slice(0, 12)}…, not ${file.bytes} bytes, ${file.sha256.slice(0, 12)}…`)
}

/** PUT then GET of the file through serve mode's streamed route, the serve process's memory watched over each. */
async function roundTrip(serve: ServeChild, target: BenchAlias, file: BigFile) {
  if ('skipped' in target) return target
  const name = `uploads/${target.alias}.bin`
  try {
    const upload = await timedLeg(serve.pid, (signal) => serve.upload(target.alias, name, file.path, file.bytes, signal), file.bytes)
    const download = await timedLeg(serve.pid, async (signal) => checkHash(file, await serve.download(target.alias, name, signal)), file.bytes)
    return {
      alias: target.alias,
      upload,
      download,
      hashChecked: true,
      met: { uploadRssGrowth: upload.rss.growthMiB < TARGETS.rssGrowthMiB, downloadRssGrowth: download.rss.growthMiB < TARGETS.rssGrowthMiB },
    }
  } finally {
    await serve.rpc('storage.delete', { alias: target.alias, names: [name] }).catch(() => undefined)
  }
}

/** The same PUT and GET against node:http piping into and out of a file: the floor for the filesystem engine. */
async function bareHttpRoundTrip(file: BigFile, root: string) {
  mkdirSync(root, { recursive: true })
  const server = await startChildServer('bare-file-server.ts', { BENCH_FILE_ROOT: root })
  try {
    const url = new URL(`http://127.0.0.1:${server.port}/copy.bin`)
    const pid = server.child.pid!
    const upload = await timedLeg(pid, (signal) => putFile(url, {}, file.path, file.bytes, signal), file.bytes)
    const download = await timedLeg(pid, async (signal) => checkHash(file, await getHashed(url, {}, signal)), file.bytes)
    return { via: 'node:http, pipeline() into and out of a file', upload, download }
  } finally {
    await server.stop()
    await rm(root, { recursive: true, force: true })
  }
}

/** Copy of the file inside the filesystem alias against `cp` of it on the same disk, in turns, best of three each. */
async function copyVsCp(serve: ServeChild, target: BenchAlias, file: BigFile, fsRoot: string) {
  if ('skipped' in target) return target
  const ours: number[] = []
  const cp: number[] = []
  const cpSynced: number[] = []
  let via = ''
  const runCp = async (turn: number) => {
    const to = join(fsRoot, `cp-${turn}.bin`)
    await settleWriteback()
    const t0 = performance.now()
    await run('cp', [file.path, to])
    cp.push(performance.now() - t0)
    // The same copy made durable (sync FILE is fsync): the part of the disk's work cp leaves for later.
    await run('sync', [to])
    cpSynced.push(performance.now() - t0)
    await rm(to, { force: true })
  }
  const runOurs = async (turn: number) => {
    await settleWriteback()
    const copied = await copyThroughBackplane(serve, target.alias, file.name, `copies-${turn}`, fsRoot, LEG_TIMEOUT_MS)
    ours.push(copied.ms)
    via = copied.via
    const { size } = await stat(join(fsRoot, copied.name))
    if (size !== file.bytes) throw new Error(`the copy has ${size} bytes, not ${file.bytes}`)
    await rm(join(fsRoot, `copies-${turn}`), { recursive: true, force: true })
  }
  // Who goes first alternates, so that the page cache and writeback favour neither.
  for (let turn = 0; turn < 3; turn++) {
    if (turn % 2) {
      await runOurs(turn)
      await runCp(turn)
    } else {
      await runCp(turn)
      await runOurs(turn)
    }
  }
  const backplaneMBps = megabytesPerSecond(file.bytes, Math.min(...ours))
  const cpMBps = megabytesPerSecond(file.bytes, Math.min(...cp))
  const share = round(backplaneMBps / cpMBps, 2)
  const cpSyncedMBps = megabytesPerSecond(file.bytes, Math.min(...cpSynced))
  return {
    via,
    backplane: { ms: Math.round(Math.min(...ours)), MBps: backplaneMBps, allMs: ours.map(Math.round) },
    cp: { ms: Math.round(Math.min(...cp)), MBps: cpMBps, allMs: cp.map(Math.round) },
    cpThenSync: { ms: Math.round(Math.min(...cpSynced)), MBps: cpSyncedMBps },
    shareOfCp: share,
    shareOfCpThenSync: round(backplaneMBps / cpSyncedMBps, 2),
    met: { copyShareOfCp: share >= TARGETS.copyShareOfCp },
  }
}

/** rclone copyto (upload) and rclone cat hashed (download) of the same file on the same server, beside Backplane's figures. */
async function besideRclone(version: string | undefined, ours: object, remotePath: string | undefined, file: BigFile, env: NodeJS.ProcessEnv) {
  if (!version) return { skipped: 'rclone is not installed (apt-get install rclone)' }
  if (!remotePath) return { skipped: 'no server for rclone to reach' }
  await settleWriteback()
  const upload = await timedRun(() => rclone(['copyto', file.path, remotePath], env, undefined, LEG_TIMEOUT_MS), file.bytes)
  const download = await timedRun(async () => checkHash(file, await rcloneCat(remotePath, env, LEG_TIMEOUT_MS)), file.bytes)
  await rclone(['deletefile', remotePath], env).catch(() => undefined)
  const backplane = 'skipped' in ours ? ours : { uploadMBps: (ours as { upload: Leg }).upload.MBps, downloadMBps: (ours as { download: Leg }).download.MBps }
  const ratio = 'skipped' in backplane ? null : { upload: round(backplane.uploadMBps / upload.MBps, 2), download: round(backplane.downloadMBps / download.MBps, 2) }
  return { backplane, rclone: { uploadMBps: upload.MBps, uploadMs: upload.ms, downloadMBps: download.MBps, downloadMs: download.ms }, backplaneShareOfRclone: ratio }
}

async function timedRun(run: () => Promise<unknown>, bytes: number) {
  const t0 = performance.now()
  await run()
  const ms = performance.now() - t0
  return { ms: Math.round(ms), MBps: megabytesPerSecond(bytes, ms) }
}

/**
 * POST /rpc/storage.list (limit 500) on a folder of FOLDER_ENTRIES empty files: the first call (the
 * serve process has never listed it, the files written out) and warm ones, beside fs.readdir of the same folder, alone and with
 * what a sorted page must do at least (sort every name, stat 500).
 */
async function firstPage(serve: ServeChild, target: BenchAlias, fsRoot: string) {
  if ('skipped' in target) return target
  const folder = 'hundred-thousand'
  const dir = join(fsRoot, folder)
  mkdirSync(dir)
  const t0 = performance.now()
  // Names in no particular order, so that the page's sort has work to do.
  for (let i = 0; i < FOLDER_ENTRIES; i++) closeSync(openSync(join(dir, `${((i * 7919) % FOLDER_ENTRIES).toString(36)}-entry-${i}.txt`), 'w'))
  const seedMs = Math.round(performance.now() - t0)
  // Written out before the first page is asked for: "cold" is a folder the serve process has never
  // listed, not a disk still busy with the 100,000 files just made (the bare readdir below is measured
  // on a quiet disk too).
  await run('sync', [])
  const list = async () => {
    const t = performance.now()
    const answer = await serve.call<{ entries: unknown[]; cursor: string | null }>('storage.list', { alias: target.alias, path: folder, limit: PAGE })
    const ms = performance.now() - t
    if (answer.entries.length !== PAGE || !answer.cursor) throw new Error(`storage.list gave ${answer.entries.length} entries and ${answer.cursor ? 'a' : 'no'} cursor`)
    return ms
  }
  const coldMs = await list()
  const warm: number[] = []
  for (let i = 0; i < WARM_PAGES; i++) warm.push(await list())
  const readdirMs: number[] = []
  const pageFloorMs: number[] = []
  for (let i = 0; i < WARM_PAGES; i++) {
    let t = performance.now()
    await readdir(dir)
    readdirMs.push(performance.now() - t)
    t = performance.now()
    const names = (await readdir(dir)).sort()
    await Promise.all(names.slice(0, PAGE).map((n) => stat(join(dir, n))))
    pageFloorMs.push(performance.now() - t)
  }
  const warmStats = latencyStats(warm)
  await rm(dir, { recursive: true, force: true })
  return {
    entries: FOLDER_ENTRIES,
    limit: PAGE,
    seedMs,
    backplane: { coldMs: round(coldMs, 1), warm: warmStats },
    bareReaddir: latencyStats(readdirMs),
    readdirSortStat500: latencyStats(pageFloorMs),
    met: { cold: coldMs < TARGETS.firstPageMs, warm: warmStats.p50Ms < TARGETS.firstPageMs },
  }
}

function run(command: string, args: string[], timeoutMs = LEG_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', timeout: timeoutMs, killSignal: 'SIGKILL' })
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))))
  })
}
