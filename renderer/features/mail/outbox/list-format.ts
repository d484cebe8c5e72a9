const numbers = new Intl.NumberFormat('en-US')

/** "1,234 messages", or "1,000+" where the outbox stopped counting (totalExact false). */
export function formatTotal(total: number, exact: boolean): string {
  const count = `${numbers.format(total)}${exact ? '' : '+'}`
  return `${count} message${total === 1 && exact ? '' : 's'}`
}

/**
 * What the list shows of an address: the display name when there is one ("Ada Lovelace" of
 * "Ada Lovelace <ada@example.test>"), else the address. The whole value stays in the row's title.
 */
export function shortAddress(address: string): string {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(address)
  if (!match) return address.trim()
  const name = match[1]?.trim()
  return name ? name : (match[2]?.trim() ?? address)
}

export function shortAddresses(addresses: readonly string[]): string {
  return addresses.map(shortAddress).join(', ')
}
