import { describe, expect, it } from 'vitest'
import { collectLinks, isRemoteUrl, linkKind, linksInText, remoteUrlsInCss, srcsetUrls } from './html-inspection'

describe('reading links and remote content out of a message', () => {
  it('tells web, mail and phone links apart', () => {
    expect(linkKind('https://example.test/reset?t=1')).toBe('web')
    expect(linkKind('HTTP://example.test')).toBe('web')
    expect(linkKind('mailto:ada@example.test')).toBe('mailto')
    expect(linkKind('tel:+441234')).toBe('tel')
    expect(linkKind('javascript:alert(1)')).toBe('other')
    expect(linkKind('/relative')).toBe('other')
  })

  it('lists each address once, counting repeats, skipping in-page anchors', () => {
    const links = collectLinks([
      { href: 'https://example.test/a', text: '' },
      { href: ' https://example.test/a ', text: '  Reset \n your password ' },
      { href: '#top', text: 'Top' },
      { href: 'mailto:help@example.test', text: 'Help' },
    ])
    expect(links).toEqual([
      { href: 'https://example.test/a', text: 'Reset your password', kind: 'web', count: 2 },
      { href: 'mailto:help@example.test', text: 'Help', kind: 'mailto', count: 1 },
    ])
  })

  it('finds remote URLs in CSS and srcsets, not data: or cid: ones', () => {
    expect(isRemoteUrl('//cdn.example.test/x.png')).toBe(true)
    expect(isRemoteUrl('data:image/png;base64,AAAA')).toBe(false)
    expect(isRemoteUrl('cid:logo')).toBe(false)
    expect(remoteUrlsInCss(`background: url("https://a.test/bg.png"); x: url(data:image/png;base64,AA) @import 'http://b.test/s.css';`)).toEqual([
      'https://a.test/bg.png',
      'http://b.test/s.css',
    ])
    expect(srcsetUrls('a.png 1x, https://c.test/b.png 2x')).toEqual(['a.png', 'https://c.test/b.png'])
  })

  it('finds the links of a text-only message, without trailing punctuation', () => {
    expect(linksInText('Reset it at https://example.test/reset?t=abc. Or (https://example.test/help).').map((l) => l.href)).toEqual([
      'https://example.test/reset?t=abc',
      'https://example.test/help',
    ])
  })
})
