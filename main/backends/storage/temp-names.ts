import { randomBytes } from 'node:crypto'

/**
 * The name of a file being written, beside its final name until it is complete, on every engine that
 * writes through a temporary file (filesystem, SFTP): `.~bp-part-` and 24 random hex digits, a form no
 * one's own file plausibly has (the older `.<name>.<hex>.bp-part` was a backup naming scheme's too), so
 * hiding such names from listings hides only ours.
 */
const TEMP_PREFIX = '.~bp-part-'
const TEMP_NAME = /^\.~bp-part-[0-9a-f]{24}$/

export function newTempName(): string {
  return TEMP_PREFIX + randomBytes(12).toString('hex')
}

/** A write in progress (or one a crash or a vanished server left behind). */
export function isTempName(file: string): boolean {
  return TEMP_NAME.test(file)
}
