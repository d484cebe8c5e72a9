/** A link found in a message's HTML, for the Links tab. */
export interface MessageLink {
  href: string
  /** The link's text (or an image's alt text), whitespace collapsed; empty when it has none. */
  text: string
  kind: 'web' | 'mailto' | 'tel' | 'other'
  /** How many times the same address appears. */
  count: number
}

export interface HtmlInspection {
  links: MessageLink[]
  /** Remote images, stylesheets and fonts the message would load once remote content is allowed. */
  remoteResources: string[]
}

export function linkKind(href: string): MessageLink['kind'] {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase()
  if (scheme === 'http' || scheme === 'https') return 'web'
  if (scheme === 'mailto') return 'mailto'
  if (scheme === 'tel') return 'tel'
  return 'other'
}

export function isRemoteUrl(url: string): boolean {
  return /^\s*(https?:)?\/\//i.test(url)
}

/** The remote `url(…)`s in CSS text (a style attribute or a <style> sheet), and `@import`s. */
export function remoteUrlsInCss(css: string): string[] {
  const found: string[] = []
  for (const match of css.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3/gi)) {
    const url = (match[2] ?? match[4] ?? '').trim()
    if (isRemoteUrl(url)) found.push(url)
  }
  return found
}

/** The URLs of a srcset ("a.png 1x, b.png 2x"). */
export function srcsetUrls(srcset: string): string[] {
  return srcset
    .split(',')
    .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean)
}

/** Same address once, first text wins, in order of appearance. */
export function collectLinks(found: readonly { href: string; text: string }[]): MessageLink[] {
  const byHref = new Map<string, MessageLink>()
  for (const { href, text } of found) {
    const clean = href.trim()
    if (clean === '' || clean.startsWith('#')) continue
    const existing = byHref.get(clean)
    if (existing) {
      existing.count += 1
      if (!existing.text) existing.text = collapse(text)
    } else {
      byHref.set(clean, { href: clean, text: collapse(text), kind: linkKind(clean), count: 1 })
    }
  }
  return [...byHref.values()]
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

/**
 * Reads a message's HTML without running or loading any of it: a document made by DOMParser has no
 * browsing context, so its scripts never execute and its images are never fetched. Attributes are
 * read as written (getAttribute), never resolved against the GUI's own address.
 */
export function inspectHtml(html: string): HtmlInspection {
  const doc = new DOMParser().parseFromString(html, 'text/html')
  const anchors = [...doc.querySelectorAll('a[href], area[href]')].map((element) => ({
    href: element.getAttribute('href') ?? '',
    text: element.textContent || [...element.querySelectorAll('img[alt]')].map((img) => img.getAttribute('alt')).join(' '),
  }))
  const remote = new Set<string>()
  const add = (url: string | null | undefined) => {
    if (url && isRemoteUrl(url)) remote.add(url.trim())
  }
  for (const element of doc.querySelectorAll('img[src], input[src], video[poster], source[src], image')) {
    add(element.getAttribute('src') ?? element.getAttribute('poster') ?? element.getAttribute('href') ?? element.getAttribute('xlink:href'))
  }
  for (const element of doc.querySelectorAll('[srcset]')) srcsetUrls(element.getAttribute('srcset') ?? '').forEach(add)
  for (const element of doc.querySelectorAll('[background]')) add(element.getAttribute('background'))
  for (const element of doc.querySelectorAll('link[href]')) add(element.getAttribute('href'))
  for (const element of doc.querySelectorAll('[style]')) remoteUrlsInCss(element.getAttribute('style') ?? '').forEach(add)
  for (const element of doc.querySelectorAll('style')) remoteUrlsInCss(element.textContent ?? '').forEach(add)
  return { links: collectLinks(anchors), remoteResources: [...remote] }
}

/** Web addresses written out in a text part (a text-only message's links). */
export function linksInText(text: string): MessageLink[] {
  const found = [...text.matchAll(/\bhttps?:\/\/[^\s<>"'`]+/gi)].map((match) => ({ href: match[0].replace(/[.,;:!?)\]]+$/, ''), text: '' }))
  return collectLinks(found)
}
