import { HighlightStyle, syntaxHighlighting } from '@codemirror/language'
import type { Extension } from '@codemirror/state'
import { EditorView } from '@codemirror/view'
import { tags } from '@lezer/highlight'

/**
 * Token colours from Mantine's palette, light and dark in one rule each: Mantine sets `color-scheme` on
 * the page, so `light-dark()` follows the scheme the user picked without rebuilding the editor.
 */
const both = (color: string, light = 8, dark = 4) => `light-dark(var(--mantine-color-${color}-${light}), var(--mantine-color-${color}-${dark}))`

const sqlHighlight = HighlightStyle.define([
  { tag: tags.keyword, color: both('violet', 7, 3), fontWeight: 600 },
  { tag: tags.string, color: both('green') },
  // lang-sql marks "quoted identifiers" as a special string: they are names, coloured as names.
  { tag: tags.special(tags.string), color: both('teal', 8, 4) },
  { tag: [tags.number, tags.bool, tags.null], color: both('orange', 8, 4) },
  { tag: [tags.lineComment, tags.blockComment], color: 'var(--mantine-color-dimmed)', fontStyle: 'italic' },
  { tag: [tags.typeName, tags.standard(tags.name)], color: both('blue', 7, 4) },
  { tag: tags.special(tags.name), color: both('grape', 7, 4) },
  { tag: tags.operator, color: both('gray', 7, 4) },
  { tag: tags.invalid, color: both('red', 7, 5) },
])

/** The frame, gutters and cursor from Mantine's variables; `dark` tells CodeMirror which defaults (tooltips, selection) to use. */
export function editorTheme(dark: boolean): Extension {
  return [
    EditorView.theme(
      {
        '&': {
          height: '100%',
          fontSize: 'var(--mantine-font-size-sm)',
          backgroundColor: 'var(--mantine-color-body)',
          color: 'var(--mantine-color-text)',
        },
        '&.cm-focused': { outline: 'none' },
        '.cm-scroller': { fontFamily: 'var(--mantine-font-family-monospace)', lineHeight: '1.5' },
        '.cm-content': { caretColor: 'var(--mantine-color-text)' },
        '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--mantine-color-text)' },
        '.cm-gutters': { backgroundColor: 'var(--mantine-color-default-hover)', color: 'var(--mantine-color-dimmed)', border: 'none' },
        '.cm-activeLine': { backgroundColor: dark ? 'rgba(255, 255, 255, 0.035)' : 'rgba(0, 0, 0, 0.03)' },
        '.cm-activeLineGutter': { backgroundColor: dark ? 'rgba(255, 255, 255, 0.06)' : 'rgba(0, 0, 0, 0.05)' },
        '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': {
          backgroundColor: dark ? 'rgba(77, 171, 247, 0.3)' : 'rgba(34, 139, 230, 0.2)',
        },
        '.cm-tooltip': { border: '1px solid var(--mantine-color-default-border)', backgroundColor: 'var(--mantine-color-body)', borderRadius: 'var(--mantine-radius-sm)' },
        '.cm-tooltip-autocomplete > ul > li[aria-selected]': { backgroundColor: 'var(--mantine-primary-color-filled)', color: 'var(--mantine-color-white)' },
        '.cm-completionDetail': { color: 'var(--mantine-color-dimmed)', marginLeft: '0.75em' },
        '.cm-diagnostic-error': { borderLeftColor: 'var(--mantine-color-red-6)' },
      },
      { dark },
    ),
    syntaxHighlighting(sqlHighlight),
  ]
}
