import { BackplaneError, ErrorCode } from '../../../core/errors'

/** SFTP status codes (draft-ietf-secsh-filexfer-02, 7), which ssh2 puts into an error's `code`. */
export const SftpStatus = {
  EOF: 1,
  NO_SUCH_FILE: 2,
  PERMISSION_DENIED: 3,
  FAILURE: 4,
  BAD_MESSAGE: 5,
  NO_CONNECTION: 6,
  CONNECTION_LOST: 7,
  OP_UNSUPPORTED: 8,
} as const

export function statusOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code
  return typeof code === 'number' ? code : undefined
}

/**
 * What the server's answer means, named after the storage's entry (never a password or key: ssh2's
 * SFTP errors carry the server's status text only). FAILURE is SFTP v3's catch-all: OpenSSH sends it
 * for an existing target, a folder that is not empty, and a full disk alike, so the engine tells those
 * apart itself where it can.
 */
export function sftpError(err: Error, op: string, subject: string, server: string): BackplaneError {
  if (/No response from server/.test(err.message)) return connectionLost(server, op, subject, err)
  switch (statusOf(err)) {
    case SftpStatus.NO_SUCH_FILE:
      return new BackplaneError(ErrorCode.E_NOT_FOUND, `"${subject}" does not exist on the SFTP server.`, { hint: 'It may have been moved or deleted: reload the folder.', cause: err })
    case SftpStatus.PERMISSION_DENIED:
      return new BackplaneError(ErrorCode.E_PERMISSION, `The SFTP server ${server} refused to ${op} "${subject}": permission denied.`, {
        hint: 'The SSH user may not do this there: check the permissions of the file and its folder on the server, or choose a root the user owns.',
        cause: err,
      })
    case SftpStatus.OP_UNSUPPORTED:
      return new BackplaneError(ErrorCode.E_UNSUPPORTED, `The SFTP server ${server} does not support ${op} ("${subject}").`, { cause: err })
    case SftpStatus.NO_CONNECTION:
    case SftpStatus.CONNECTION_LOST:
      return connectionLost(server, op, subject, err)
    default:
      return new BackplaneError(ErrorCode.E_CONNECTION, `The SFTP server ${server} failed to ${op} "${subject}": ${err.message}.`, {
        hint: 'The server gives no reason beyond this (SFTP reports most failures as "Failure"); its log may say more.',
        cause: err,
      })
  }
}

export function connectionLost(server: string, op: string, subject: string, cause?: Error): BackplaneError {
  return new BackplaneError(ErrorCode.E_CONNECTION_RESET, `The SSH connection to ${server} was lost during ${op} "${subject}".`, {
    hint: 'Nothing was left under the final name; the next call connects again. Try once more.',
    ...(cause ? { cause } : {}),
  })
}

export function diskFull(server: string, subject: string, cause: Error): BackplaneError {
  return new BackplaneError(ErrorCode.E_DISK_FULL, `The SFTP server ${server} ran out of space while writing "${subject}".`, {
    hint: 'Free some space on the server (or its quota), then upload again; nothing was left under the name.',
    cause,
  })
}
