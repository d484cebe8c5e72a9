import { extensionOf } from './entry-names'

export type PreviewKind = 'image' | 'pdf' | 'audio' | 'video' | 'text' | 'unknown'

const BY_EXTENSION: Record<string, PreviewKind> = {}
const add = (kind: PreviewKind, extensions: string) => {
  for (const extension of extensions.split(' ')) BY_EXTENSION[extension] = kind
}
add('image', 'png jpg jpeg gif webp svg avif bmp ico')
add('pdf', 'pdf')
add('audio', 'mp3 wav ogg oga flac m4a aac opus')
add('video', 'mp4 webm ogv mov m4v')
add(
  'text',
  'txt md markdown rst csv tsv log json jsonl ndjson yaml yml toml ini cfg conf env xml html htm css scss less js mjs cjs jsx ts tsx py rb go rs java kt c h cc cpp hpp cs php sh bash zsh sql graphql proto lua pl r swift dart vue svelte diff patch properties gitignore dockerfile makefile',
)

/** The caps above which a preview is not fetched and the panel offers a download instead. */
export const PREVIEW_CAP: Record<PreviewKind, number> = {
  text: 10 * 1024 * 1024,
  image: 50 * 1024 * 1024,
  pdf: 50 * 1024 * 1024,
  audio: 50 * 1024 * 1024,
  video: 50 * 1024 * 1024,
  // An unknown file is sniffed from its first bytes only, whatever its size.
  unknown: Number.POSITIVE_INFINITY,
}

/** Grid thumbnails are full images scaled down: above this a tile shows the icon instead. */
export const THUMBNAIL_CAP = 8 * 1024 * 1024

/** How to preview a file: by its extension, else by the content type the storage reports, else unknown (sniffed as text or hex). */
export function previewKindOf(name: string, contentType?: string): PreviewKind {
  const known = BY_EXTENSION[extensionOf(name)] ?? BY_EXTENSION[name.slice(name.lastIndexOf('/') + 1).toLowerCase()]
  if (known) return known
  const type = (contentType ?? '').toLowerCase()
  if (type.startsWith('image/')) return 'image'
  if (type === 'application/pdf') return 'pdf'
  if (type.startsWith('audio/')) return 'audio'
  if (type.startsWith('video/')) return 'video'
  if (type.startsWith('text/') || /\/(json|xml|javascript|yaml|x-sh)\b/.test(type)) return 'text'
  return 'unknown'
}

export function isPreviewTooLarge(kind: PreviewKind, size: number | undefined): boolean {
  return size !== undefined && size > PREVIEW_CAP[kind]
}
