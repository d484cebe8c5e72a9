import type { FileEntryWithStats, SFTPWrapper, Stats } from 'ssh2'
import { BackplaneError, ErrorCode } from '../../../core/errors'
import type { Logger } from '../../../core/log'
import { serverAddress } from '../../../core/ssh/known-hosts'
import { endSshConnection, openSshConnection, type SshConnection, type SshLogin, type SshLoginPurpose } from '../../../core/ssh/ssh-connect'
import { sftpError, connectionLost } from './sftp-errors'

export interface SftpSessionOptions {
  login: SshLogin
  dataDir: string
  log: Logger
  /** How long connecting and logging in may take. */
  connectTimeoutMs: number
  /** How long the server may take to answer one request before the connection counts as stuck. */
  operationTimeoutMs: number
}

const SFTP_LOGIN: SshLoginPurpose = {
  optionsPath: [],
  settings: "the alias's SFTP settings",
  authHint: 'Check the user and its password or private key for this SFTP server.',
}

/** One request's context, for its error message: what the storage calls the entry. */
type Subject = string

/**
 * One SSH connection with one SFTP channel, opened on first use and shared by every call of the alias
 * (SFTP answers requests by id, so many can be in flight on one channel); opened again when it dropped.
 * Every request is promised, bounded by the operation timeout, and fails with a typed error.
 */
export class SftpSession {
  private opening: Promise<SftpChannel> | undefined
  private current: SftpChannel | undefined
  private closed = false

  constructor(private readonly options: SftpSessionOptions) {}

  get server(): string {
    return serverAddress(this.options.login.host, this.options.login.port)
  }

  /** The live channel, connecting first if there is none (or the last one dropped). */
  async channel(): Promise<SftpChannel> {
    if (this.closed) throw new BackplaneError(ErrorCode.E_NOT_OPEN, `The SFTP storage for ${this.server} was closed.`, { hint: 'The alias was changed or removed; try again.' })
    if (this.current && !this.current.lost) return this.current
    this.opening ??= this.open().finally(() => (this.opening = undefined))
    return this.opening
  }

  /** The live channel if there is one, without connecting (for cleanup after a failure). */
  get liveChannel(): SftpChannel | undefined {
    return this.current && !this.current.lost ? this.current : undefined
  }

  async close(): Promise<void> {
    this.closed = true
    const channel = this.current ?? (await this.opening?.catch(() => undefined))
    this.current = undefined
    await channel?.end()
  }

  private async open(): Promise<SftpChannel> {
    const { login, log } = this.options
    const ssh = await openSshConnection({ login, purpose: SFTP_LOGIN, dataDir: this.options.dataDir, readyTimeoutMs: this.options.connectTimeoutMs })
    try {
      const sftp = await new Promise<SFTPWrapper>((resolve, reject) => ssh.client.sftp((err, wrapper) => (err ? reject(err) : resolve(wrapper))))
      const channel = new SftpChannel(ssh, sftp, this.server, this.options.operationTimeoutMs)
      ssh.client.on('close', () => {
        channel.lost = true
        if (!this.closed) log.warn(`The SSH connection to ${this.server} was lost; it is opened again on the next use.`)
      })
      ssh.client.on('error', (err: Error) => log.debug(`SSH connection to ${this.server}: ${err.message}`))
      log.debug(`SFTP session of ${login.user} at ${this.server} open (${ssh.serverSoftware ?? 'unknown server'})`)
      if (this.closed) {
        await channel.end()
        throw new BackplaneError(ErrorCode.E_NOT_OPEN, `The SFTP storage for ${this.server} was closed.`)
      }
      this.current = channel
      return channel
    } catch (err) {
      ssh.socket.destroy()
      if (err instanceof BackplaneError) throw err
      throw new BackplaneError(ErrorCode.E_CONNECTION, `The SSH server ${this.server} did not open an SFTP session: ${(err as Error).message}`, {
        hint: 'Check that the server offers the sftp subsystem to this user (Subsystem sftp in its sshd_config).',
        cause: err,
      })
    }
  }
}

/** The SFTP requests the engine makes, promised, with the server's status mapped to typed errors. */
export class SftpChannel {
  lost = false

  constructor(
    private readonly ssh: SshConnection,
    readonly sftp: SFTPWrapper,
    readonly server: string,
    private readonly timeoutMs: number,
  ) {}

  get serverSoftware(): string | undefined {
    return this.ssh.serverSoftware
  }

  /** Whether the server offers an extension (posix-rename@openssh.com, copy-data, statvfs@openssh.com). */
  supports(extension: string): boolean {
    return Object.hasOwn((this.sftp as unknown as { _extensions: Record<string, unknown> })._extensions, extension)
  }

  /** The largest read and write the server takes in one request. */
  get maxChunk(): number {
    const limits = this.sftp as unknown as { _maxReadLen?: number; _maxWriteLen?: number }
    return Math.min(limits._maxReadLen ?? 32_768, limits._maxWriteLen ?? 32_768)
  }

  stat = (path: string, subject: Subject) => this.request<Stats>(subject, 'stat', (cb) => this.sftp.stat(path, cb))
  lstat = (path: string, subject: Subject) => this.request<Stats>(subject, 'lstat', (cb) => this.sftp.lstat(path, cb))
  realpath = (path: string, subject: Subject) => this.request<string>(subject, 'realpath', (cb) => this.sftp.realpath(path, cb))
  readdir = (path: string, subject: Subject) => this.request<FileEntryWithStats[]>(subject, 'readdir', (cb) => this.sftp.readdir(path, cb))
  mkdir = (path: string, subject: Subject) => this.request<void>(subject, 'mkdir', (cb) => this.sftp.mkdir(path, cb))
  rmdir = (path: string, subject: Subject) => this.request<void>(subject, 'rmdir', (cb) => this.sftp.rmdir(path, cb))
  unlink = (path: string, subject: Subject) => this.request<void>(subject, 'unlink', (cb) => this.sftp.unlink(path, cb))
  /** Plain SFTP rename; OpenSSH's fails when the target exists (it links, then unlinks), so it never replaces. */
  rename = (from: string, to: string, subject: Subject) => this.request<void>(subject, 'rename', (cb) => this.sftp.rename(from, to, cb))
  /** POSIX rename(2): replaces the target atomically. */
  posixRename = (from: string, to: string, subject: Subject) => this.request<void>(subject, 'rename', (cb) => this.sftp.ext_openssh_rename(from, to, cb))
  openFile = (path: string, flags: 'r' | 'wx' | 'w', subject: Subject) => this.request<Buffer>(subject, 'open', (cb) => this.sftp.open(path, flags, 0o644, cb))
  closeFile = (handle: Buffer, subject: Subject) => this.request<void>(subject, 'close', (cb) => this.sftp.close(handle, cb))
  read = (handle: Buffer, buffer: Buffer, position: number, subject: Subject) =>
    this.request<number>(subject, 'read', (cb) => this.sftp.read(handle, buffer, 0, buffer.length, position, (err, bytesRead) => cb(err, bytesRead)))
  write = (handle: Buffer, data: Buffer, position: number, subject: Subject) => this.request<void>(subject, 'write', (cb) => this.sftp.write(handle, data, 0, data.length, position, (err) => cb(err)))
  copyData = (from: Buffer, to: Buffer, subject: Subject) => this.request<void>(subject, 'copy', (cb) => this.sftp.ext_copy_data(from, 0, 0, to, 0, cb))
  statvfs = (path: string, subject: Subject) => this.request<{ bavail: number; frsize: number }>(subject, 'statvfs', (cb) => this.sftp.ext_openssh_statvfs(path, cb))

  /** Ends the SSH connection, waiting a little for the server's goodbye. */
  async end(): Promise<void> {
    if (this.lost) return
    await endSshConnection(this.ssh)
    this.lost = true
  }

  /** Drops a connection that stopped answering, so the next call opens a new one. */
  private drop(): void {
    this.lost = true
    this.ssh.socket.destroy()
  }

  private request<T>(subject: Subject, op: string, send: (cb: (err: Error | undefined | null, value?: T) => void) => void): Promise<T> {
    if (this.lost) return Promise.reject(connectionLost(this.server, op, subject))
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.drop()
        reject(new BackplaneError(ErrorCode.E_TIMEOUT, `The SFTP server ${this.server} did not answer (${op} "${subject}") within ${Math.round(this.timeoutMs / 1000)} s; the connection was closed.`, {
          hint: 'The next call connects again; check the server and the network if this repeats.',
        }))
      }, this.timeoutMs)
      try {
        send((err, value) => {
          clearTimeout(timer)
          if (err) reject(this.lost ? connectionLost(this.server, op, subject, err) : sftpError(err, op, subject, this.server))
          else resolve(value as T)
        })
      } catch (err) {
        // ssh2 throws "Not connected" synchronously on a connection going away.
        clearTimeout(timer)
        this.lost = true
        reject(connectionLost(this.server, op, subject, err as Error))
      }
    })
  }
}
