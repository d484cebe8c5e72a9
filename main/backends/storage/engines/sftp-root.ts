import { posix } from 'node:path'
import type { Stats } from 'ssh2'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { SftpChannel } from './sftp-session'

/**
 * The storage's root folder on the server, and the guard that keeps every name inside it. Names come
 * normalised (no "..", see normalizeName), but a folder or file on the server may be a symlink that
 * leads elsewhere, planted by anyone who can write there. So what a read, write, delete or listing
 * touches is resolved first with the server's own realpath, and refused (E_PATH_OUTSIDE_ROOT) when it
 * lands outside the root. Over SFTP this check and the use are two requests: a link swapped in between
 * them by someone on the server is not caught (the filesystem engine closes that window; SFTP offers no
 * openat()).
 */
export class SftpRoot {
  private real: string | undefined

  constructor(
    /** The root as configured: absolute, or relative to the login's home; '' is the home itself. */
    private readonly configured: string,
  ) {}

  /** The root's real path on the server; it is created (with its parents) when `create` and missing. */
  async realPath(channel: SftpChannel, { create = false } = {}): Promise<string> {
    if (this.real) return this.real
    const home = await channel.realpath('.', '(home folder)')
    const wanted = posix.resolve(home, this.configured || '.')
    const info = await orNull(channel.stat(wanted, '(root)'))
    if (!info) {
      if (!create) return wanted // not cached: it may be created by the first write
      await makeAbsoluteFolders(channel, wanted)
    } else if (!info.isDirectory()) {
      throw new BackplaneError(ErrorCode.E_NOT_A_DIRECTORY, `The root ${wanted} on the SFTP server is a file, not a folder.`, { hint: 'Choose a folder as the root.' })
    }
    this.real = await channel.realpath(wanted, '(root)')
    return this.real
  }

  /** Whether the root exists, without creating it: undefined if it does, else why not. */
  async problem(channel: SftpChannel): Promise<BackplaneError | undefined> {
    const path = await this.realPath(channel)
    const info = await orNull(channel.stat(path, '(root)'))
    if (!info) return new BackplaneError(ErrorCode.E_NOT_FOUND, `The root folder ${path} does not exist on the SFTP server.`, { hint: 'Create it on the server, or correct the root in the alias (the first save would create it).' })
    if (!info.isDirectory()) return new BackplaneError(ErrorCode.E_NOT_A_DIRECTORY, `The root ${path} on the SFTP server is a file, not a folder.`, { hint: 'Choose a folder as the root.' })
    return undefined
  }

  /** Refuses a real path outside the root. */
  assertInside(root: string, real: string, name: string): void {
    if (real === root || root === '/' || real.startsWith(root + '/')) return
    throw new BackplaneError(ErrorCode.E_PATH_OUTSIDE_ROOT, `"${name}" leads out of the storage (a link on the server points to ${real}).`, {
      hint: 'Links that leave the root are not followed; ask the server\'s administrator to remove the link, or use a name inside the root.',
    })
  }

  /**
   * The real path of `name` and what it is (links followed), or null when there is nothing of that
   * name; E_PATH_OUTSIDE_ROOT when it resolves outside. Two requests in flight at once: one round trip.
   */
  async resolve(channel: SftpChannel, name: string): Promise<{ real: string; info: Stats } | null> {
    const root = await this.realPath(channel)
    if (name === '') {
      const info = await orNull(channel.stat(root, '(root)'))
      return info ? { real: root, info } : null
    }
    const path = `${root}/${name}`
    const [real, info] = await Promise.all([orNull(channel.realpath(path, name)), orNull(channel.stat(path, name))])
    if (!real || !info) return null
    this.assertInside(root, real, name)
    return { real, info }
  }

  /** The real path of the folder `dir` (created with its parents if missing), checked to be inside the root. */
  async folder(channel: SftpChannel, dir: string): Promise<string> {
    const root = await this.realPath(channel, { create: true })
    if (dir === '') return root
    const found = await this.resolve(channel, dir)
    if (found) {
      if (!found.info.isDirectory()) throw notAFolder(dir)
      return found.real
    }
    // mkdir -p, one segment at a time from the root, never through a link that leaves it.
    let current = root
    const parts = dir.split('/')
    for (let i = 0; i < parts.length; i++) {
      const name = parts.slice(0, i + 1).join('/')
      const path = `${current}/${parts[i]}`
      let info = await orNull(channel.lstat(path, name))
      if (!info) {
        const made = await channel.mkdir(path, name).then(() => true, async (err: unknown) => {
          // Made meanwhile by another call: go on with what is there.
          if ((await orNull(channel.lstat(path, name))) === null) throw err
          return false
        })
        if (made) {
          current = path
          continue
        }
        info = await channel.lstat(path, name)
      }
      if (info.isSymbolicLink()) {
        const real = await channel.realpath(path, name)
        this.assertInside(root, real, name)
        if (!(await channel.stat(real, name)).isDirectory()) throw notAFolder(name)
        current = real
      } else if (info.isDirectory()) {
        current = path
      } else {
        throw notAFolder(name)
      }
    }
    return current
  }
}

/** The answer, or null for "no such file"; other failures stay failures. */
export async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request
  } catch (err) {
    if (err instanceof BackplaneError && err.code === ErrorCode.E_NOT_FOUND) return null
    throw err
  }
}

function notAFolder(name: string): BackplaneError {
  return new BackplaneError(ErrorCode.E_NOT_A_DIRECTORY, `"${name}" is a file, so nothing can be put inside it.`, { hint: 'Choose another folder name, or remove the file.' })
}

/** The configured root and its missing parents (as `mkdir -p`): the root is the administrator's choice, so no guard applies above it. */
async function makeAbsoluteFolders(channel: SftpChannel, path: string): Promise<void> {
  const parts = path.split('/').filter(Boolean)
  for (let i = 1; i <= parts.length; i++) {
    const prefix = '/' + parts.slice(0, i).join('/')
    if (await orNull(channel.stat(prefix, '(root)'))) continue
    await channel.mkdir(prefix, '(root)').catch(async (err: unknown) => {
      if (!(await orNull(channel.stat(prefix, '(root)')))) throw err
    })
  }
}
