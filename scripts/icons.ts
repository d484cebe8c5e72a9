/**
 * `npm run icons`: every raster icon, made from the SVG sources in assets/ (never drawn by hand):
 * electron-builder's resources in build/ (PNGs at 512 and 1024, .icns, .ico) and the PNGs the app shows
 * at run time in assets/png/ (window and notification icon, tray icons at 1x and 2x). `--check` writes
 * nothing and exits 1 when a file differs from what the sources make (CI runs it through a test).
 */
import { Resvg } from '@resvg/resvg-js'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import png2icons from 'png2icons'

const root = join(import.meta.dirname, '..')

function render(svg: string, size: number): Buffer {
  const source = readFileSync(join(root, 'assets', svg), 'utf8')
  return Buffer.from(new Resvg(source, { fitTo: { mode: 'width', value: size }, background: 'rgba(0,0,0,0)', font: { loadSystemFonts: false } }).render().asPng())
}

function container(made: Buffer | null, what: string): Buffer {
  if (!made) throw new Error(`png2icons could not make ${what}.`)
  return made
}

/** Every generated file, by its path from the repository root. */
export function makeIcons(): Map<string, Buffer> {
  const large = render('icon.svg', 1024)
  const files = new Map<string, Buffer>([
    ['build/icons/1024x1024.png', large],
    ['build/icons/512x512.png', render('icon.svg', 512)],
    ['build/icons/256x256.png', render('icon.svg', 256)],
    ['build/icon.png', large],
    ['build/icon.icns', container(png2icons.createICNS(large, png2icons.BICUBIC2, 0), 'the .icns')],
    ['build/icon.ico', container(png2icons.createICO(render('icon.svg', 256), png2icons.BICUBIC2, 0, true, true), 'the .ico')],
    ['assets/png/icon-256.png', render('icon.svg', 256)],
  ])
  for (const variant of ['tray-light', 'tray-dark']) {
    files.set(`assets/png/${variant}.png`, render(`${variant}.svg`, 16))
    files.set(`assets/png/${variant}@2x.png`, render(`${variant}.svg`, 32))
  }
  return files
}

/** The generated files that are missing or differ from what the sources make now. */
export function staleIcons(): string[] {
  const stale: string[] = []
  for (const [path, bytes] of makeIcons()) {
    let current: Buffer | undefined
    try {
      current = readFileSync(join(root, path))
    } catch {
      current = undefined
    }
    if (!current?.equals(bytes)) stale.push(path)
  }
  return stale
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  if (process.argv.includes('--check')) {
    const stale = staleIcons()
    if (stale.length) {
      process.stderr.write(`Out of date with assets/*.svg: ${stale.join(', ')}. Run npm run icons.\n`)
      process.exit(1)
    }
  } else {
    for (const [path, bytes] of makeIcons()) {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), bytes)
      process.stdout.write(`${path} (${bytes.length} bytes)\n`)
    }
  }
}
