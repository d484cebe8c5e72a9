/**
 * Values of every Python type the value model names, for the file and database caches' interop tests
 * with real Django: each travels through Django's own backend and back through Backplane's, and must
 * arrive equal.
 */
export const DJANGO_VALUES: Record<string, unknown> = {
  str: 'Zoë — 日本語',
  int: 42,
  negative: -7,
  bigint: { $int: '123456789012345678901234567890' },
  float: 1.5,
  true: true,
  none: null,
  bytes: { $bytes: Buffer.from([0, 1, 2, 255]).toString('base64') },
  list: [1, 'two', [3]],
  dict: { a: 1, nested: { b: [true, null] } },
  intKeys: { $dict: [[1, 'one'], [2, 'two']] },
  tuple: { $tuple: [1, 'a'] },
  set: { $set: [1, 2, 3] },
  datetime: { $datetime: '2024-05-06T07:08:09.123456+00:00' },
  naive: { $datetime: '2024-05-06T07:08:09' },
  date: { $date: '2024-05-06' },
  decimal: { $decimal: '3.14' },
  empty: '',
}
