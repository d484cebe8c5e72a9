import { describe, expect, it } from 'vitest'
import { shellQuote, trustCommand } from './trust-command'

describe('the command that trusts an engine module', () => {
  it('is the one the server named in the hint, --home and all', () => {
    const hint = "Read it, then trust this exact content with: npx backplane engines trust ./vault.mjs --home '/tmp/my home'"
    expect(trustCommand('./vault.mjs', { hint }, "npx backplane engines trust '<module>'")).toBe("npx backplane engines trust ./vault.mjs --home '/tmp/my home'")
  })

  it("else the API's command with the module in place of <module>", () => {
    expect(trustCommand('./my engine.mjs#E', { hint: 'Check who else writes to that folder.' }, "npx backplane engines trust '<module>' --home /x")).toBe(
      "npx backplane engines trust './my engine.mjs#E' --home /x",
    )
    expect(trustCommand('', null, "npx backplane engines trust '<module>'")).toBeUndefined()
    expect(trustCommand('./a.mjs', null, undefined)).toBeUndefined()
  })

  it('quotes for a POSIX shell only when needed', () => {
    expect(shellQuote('./a.mjs#A')).toBe('./a.mjs#A')
    expect(shellQuote("it's")).toBe(`'it'\\''s'`)
  })
})
