import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Opens the URL in the user's browser when this machine has one; says whether it tried. */
export function openBrowser(url: string): boolean {
  const command =
    process.platform === 'darwin' ? ['open', url] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""', url] : ['xdg-open', url]
  if (process.platform === 'linux' && !(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) return false
  if (!onPath(command[0]!)) return false
  try {
    const child = spawn(command[0]!, command.slice(1), { detached: true, stdio: 'ignore' })
    child.on('error', () => undefined)
    child.unref()
    return true
  } catch {
    return false
  }
}

function onPath(name: string): boolean {
  if (process.platform === 'win32') return true
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}
