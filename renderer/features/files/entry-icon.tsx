import { IconFile, IconFileCode, IconFileText, IconFileTypePdf, IconFolder, IconMovie, IconMusic, IconPhoto } from '@tabler/icons-react'
import { previewKindOf, type PreviewKind } from './preview-kind'
import type { StorageEntry } from './types'

const FILE_ICONS: Record<PreviewKind, typeof IconFile> = {
  image: IconPhoto,
  pdf: IconFileTypePdf,
  audio: IconMusic,
  video: IconMovie,
  text: IconFileText,
  unknown: IconFile,
}

const CODE = /\.(js|mjs|cjs|jsx|ts|tsx|py|rb|go|rs|java|kt|c|h|cc|cpp|cs|php|sh|sql|json|ya?ml|toml|xml|html?|css)$/i

/** A folder, or what kind of file it is, at a glance. */
export function EntryIcon({ entry, size = 14 }: { entry: StorageEntry; size?: number }) {
  if (entry.type === 'dir') return <IconFolder size={size} color="var(--mantine-color-yellow-6)" aria-hidden />
  const Icon = CODE.test(entry.name) ? IconFileCode : FILE_ICONS[previewKindOf(entry.name, entry.contentType)]
  return <Icon size={size} color="var(--mantine-color-dimmed)" aria-hidden />
}
