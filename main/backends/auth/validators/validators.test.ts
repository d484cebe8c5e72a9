import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { requirePythonModule, SYSTEM_PYTHON } from '../../../../test/support/services'
import { commonPasswords } from './common-passwords'
import { validatePassword, type PasswordUser } from '.'
import { pyIsDigit, pyLen, pyStrip, splitOnNonWord } from './python-text'
import { quickRatio } from './similarity'

const ADA: PasswordUser = { username: 'ada', email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace' }
const JOERG: PasswordUser = { username: 'jörg_müller', email: 'j.mueller@beispiel.de', firstName: 'Jörg', lastName: 'Müller' }
const codes = async (password: string, user?: PasswordUser) => (await validatePassword(password, user)).map((p) => p.code)

describe("Django's default password validators", () => {
  it('accepts a long, uncommon password unlike the user', async () => {
    expect(await validatePassword('correct horse battery staple', ADA)).toEqual([])
  })

  it("says what each validator objects to, with Django's codes and messages, in Django's order", async () => {
    expect(await validatePassword('12345', ADA)).toEqual([
      { validator: 'MinimumLengthValidator', code: 'password_too_short', message: 'This password is too short. It must contain at least 8 characters.' },
      { validator: 'CommonPasswordValidator', code: 'password_too_common', message: 'This password is too common.' },
      { validator: 'NumericPasswordValidator', code: 'password_entirely_numeric', message: 'This password is entirely numeric.' },
    ])
    expect(await validatePassword('lovelace', ADA)).toEqual([
      { validator: 'UserAttributeSimilarityValidator', code: 'password_too_similar', message: 'The password is too similar to the last name.' },
    ])
    expect((await validatePassword('ada.lovelace@example', ADA))[0]?.message).toBe('The password is too similar to the email address.')
  })

  it('counts characters as Python does (code points) and checks the common list lowercased and stripped', async () => {
    expect(await codes('🔑🔑🔑🔑🔑🔑🔑🔑')).toEqual([])
    expect(await codes('🔑🔑🔑🔑🔑🔑🔑')).toEqual(['password_too_short'])
    expect(await codes('  PassWord  ')).toEqual(['password_too_common'])
  })

  it('reads numbers as str.isdigit() does, superscripts and other scripts included', () => {
    expect(['12345678', '²³¹²³¹²³', '١٢٣٤٥٦٧٨', '①②③④⑤⑥⑦⑧'].map(pyIsDigit)).toEqual([true, true, true, true])
    expect(['', '1234 5678', '½', '12.5', '一二三'].map(pyIsDigit)).toEqual([false, false, false, false, false])
  })

  it('loads the common-password list once, all of it', async () => {
    const list = await commonPasswords()
    expect(await commonPasswords()).toBe(list)
    expect(list.size).toBe(19_727)
    expect(list.has('password') && list.has('iloveyou')).toBe(true)
  })

  it('ports difflib quick_ratio and the Python text rules exactly for known cases', () => {
    expect(quickRatio('abcd', 'bcde')).toBe(0.75)
    expect(quickRatio('', '')).toBe(1)
    expect(quickRatio('aab', 'abb')).toBeCloseTo(2 * 2 / 6)
    expect(pyLen('a🔑')).toBe(2)
    expect(pyStrip('\u3000\x1cpw\u2028')).toBe('pw')
    expect(splitOnNonWord('@ada.love_lace--')).toEqual(['', 'ada', 'love_lace', ''])
  })
})

/** A deterministic corpus: fixed edge cases, and passwords made of mangled user attributes around the 0.7 threshold. */
function corpus(): { password: string; user: PasswordUser | null }[] {
  const users: (PasswordUser | null)[] = [ADA, JOERG, null, { username: 'a' }, { username: 'user@@name--x', email: '@x' }, { firstName: 'Ǆemal', lastName: 'ΟΔΥΣΣΕΥΣ' }]
  const fixed = [
    '', 'a', '1234567', '12345678', 'password', 'Password', ' password ', 'PASSWORD1', '²³¹²³¹²³', '١٢٣٤٥٦٧٨٩', 'correct horse battery staple',
    'adalovelace', 'ada.lovelace@example.com', 'lovelace1815', 'ecalevol', 'Zürich2024!', 'jörg.müller', 'joergmueller', 'mueller!!',
    '🔑🔑🔑🔑🔑🔑🔑', '🔑🔑🔑🔑🔑🔑🔑🔑', 'x'.repeat(200), 'ada', 'qwertyuiop', 'iloveyou', 'letmein123', '\tqwerty\n', 'odysseus', 'ǆemal',
    'usernamex', 'namename', 'ΟΔΥΣΣΕΥΣ', 'οδυσσευς',
  ]
  let seed = 42
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
  const mangled: string[] = []
  const sources = ['ada', 'lovelace', 'ada.lovelace@example.com', 'jörg_müller', 'mueller', 'beispiel', 'username']
  for (let i = 0; i < 150; i++) {
    const chars = [...sources[i % sources.length]!]
    const edits = Math.floor(random() * 5)
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * (chars.length + 1))
      const op = random()
      if (op < 0.4) chars.splice(at, 1)
      else if (op < 0.8) chars.splice(at, 0, 'xyz019!Q'[Math.floor(random() * 8)]!)
      else chars.reverse()
    }
    mangled.push(chars.join(''))
  }
  return users.flatMap((user) => [...fixed, ...mangled].map((password) => ({ password, user })))
}

const VALIDATE = `
import json, sys
from django.conf import settings
settings.configure(INSTALLED_APPS=['django.contrib.auth', 'django.contrib.contenttypes'], AUTH_PASSWORD_VALIDATORS=[
    {'NAME': 'django.contrib.auth.password_validation.' + n} for n in (
        'UserAttributeSimilarityValidator', 'MinimumLengthValidator', 'CommonPasswordValidator', 'NumericPasswordValidator')])
import django
django.setup()
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
out = []
for case in json.load(sys.stdin):
    u = case['user']
    user = User(username=u.get('username', ''), email=u.get('email', ''), first_name=u.get('firstName', ''), last_name=u.get('lastName', '')) if u is not None else None
    try:
        validate_password(case['password'], user)
        out.append([])
    except ValidationError as e:
        out.append([[err.code, err.messages[0]] for err in e.error_list])
print(json.dumps(out))
`

const withDjango = requirePythonModule('django', 'python3-django', 'Django password validator interop') ? describe : describe.skip

withDjango("the same verdicts as Django's validate_password", () => {
  it('on a corpus of passwords and users, code for code and message for message', async () => {
    const cases = corpus()
    const run = spawnSync(SYSTEM_PYTHON, ['-c', VALIDATE], { input: JSON.stringify(cases), encoding: 'utf8', timeout: 120_000 })
    expect(run.status, run.stderr).toBe(0)
    const django = JSON.parse(run.stdout) as [string, string][][]
    expect(django.length).toBe(cases.length)
    const ours = await Promise.all(cases.map(async (c) => (await validatePassword(c.password, c.user ?? undefined)).map((p) => [p.code, p.message])))
    const differences = cases.flatMap((c, i) => (JSON.stringify(ours[i]) === JSON.stringify(django[i]) ? [] : [{ ...c, ours: ours[i], django: django[i] }]))
    expect(differences).toEqual([])
    // The corpus exercises every validator, each way.
    for (const code of ['password_too_similar', 'password_too_short', 'password_too_common', 'password_entirely_numeric']) {
      expect(django.some((d) => d.some(([c]) => c === code)), code).toBe(true)
    }
    expect(django.filter((d) => d.length === 0).length).toBeGreaterThan(50)
  })
})
