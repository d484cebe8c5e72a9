/** Storage names are "/"-separated paths from the alias's root; these split and join them. */
export function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1)
}

/** The folder a name is in ('' for the root). */
export function parentOf(name: string): string {
  const slash = name.lastIndexOf('/')
  return slash === -1 ? '' : name.slice(0, slash)
}

export function joinName(folder: string, name: string): string {
  return folder ? `${folder}/${name}` : name
}

/** Lower-case extension without the dot ('' when there is none; a leading dot is a hidden file, not an extension). */
export function extensionOf(name: string): string {
  const base = baseName(name)
  const dot = base.lastIndexOf('.')
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase()
}

/** The part of a base name a rename selects first: the stem, as file managers do, so typing keeps the extension. */
export function stemLength(base: string): number {
  const dot = base.lastIndexOf('.')
  return dot <= 0 ? base.length : dot
}
