import { HighlightStyle, LanguageDescription, syntaxHighlighting } from '@codemirror/language'
import { languages } from '@codemirror/language-data'
import { Compartment, EditorState } from '@codemirror/state'
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view'
import { defaultKeymap } from '@codemirror/commands'
import { highlightSelectionMatches, search, searchKeymap } from '@codemirror/search'
import { useComputedColorScheme } from '@mantine/core'
import { tags } from '@lezer/highlight'
import { useEffect, useRef, useState } from 'react'
import { baseName } from './entry-names'

/** Token colours from Mantine's palette, light and dark in one rule each (light-dark() follows the scheme). */
const both = (color: string, light = 8, dark = 4) => `light-dark(var(--mantine-color-${color}-${light}), var(--mantine-color-${color}-${dark}))`
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.modifier, tags.controlKeyword, tags.operatorKeyword], color: both('violet', 7, 3), fontWeight: 600 },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: both('green') },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: both('orange', 8, 4) },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--mantine-color-dimmed)', fontStyle: 'italic' },
  { tag: [tags.typeName, tags.className, tags.namespace], color: both('blue', 7, 4) },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: both('cyan', 8, 4) },
  { tag: [tags.propertyName, tags.attributeName], color: both('teal', 8, 4) },
  { tag: [tags.tagName, tags.heading], color: both('red', 7, 4), fontWeight: 600 },
  { tag: tags.invalid, color: both('red', 7, 5) },
])

function frame(dark: boolean, height: number) {
  return EditorView.theme(
    {
      '&': { maxHeight: `${height}px`, fontSize: 'var(--mantine-font-size-xs)', backgroundColor: 'var(--mantine-color-body)', color: 'var(--mantine-color-text)', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)' },
      '&.cm-focused': { outline: 'none' },
      '.cm-scroller': { fontFamily: 'var(--mantine-font-family-monospace)', lineHeight: '1.5', overflow: 'auto' },
      '.cm-gutters': { backgroundColor: 'var(--mantine-color-default-hover)', color: 'var(--mantine-color-dimmed)', border: 'none' },
      '.cm-activeLine': { backgroundColor: dark ? 'rgba(255, 255, 255, 0.035)' : 'rgba(0, 0, 0, 0.03)' },
      '.cm-activeLineGutter': { backgroundColor: dark ? 'rgba(255, 255, 255, 0.06)' : 'rgba(0, 0, 0, 0.05)' },
    },
    { dark },
  )
}

/**
 * A file's text, read-only in CodeMirror (it renders only the visible lines, so a 10 MiB log stays
 * quick), highlighted in the language @codemirror/language-data picks by the file's name, with search (Ctrl/Cmd+F).
 */
export function CodeView({ text, name, height = 420 }: { text: string; name: string; height?: number }) {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const [language] = useState(() => new Compartment())
  const [languageName, setLanguageName] = useState<string | null>(null)
  const dark = useComputedColorScheme('light') === 'dark'

  useEffect(() => {
    if (!host.current) return
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: text,
        extensions: [
          EditorState.readOnly.of(true),
          lineNumbers(),
          highlightActiveLine(),
          highlightActiveLineGutter(),
          search({ top: true }),
          highlightSelectionMatches(),
          keymap.of([...searchKeymap, ...defaultKeymap]),
          EditorView.lineWrapping,
          language.of([]),
          syntaxHighlighting(highlight),
          frame(dark, height),
          EditorView.contentAttributes.of({ 'aria-label': `Content of ${baseName(name)}` }),
        ],
      }),
    })
    view.current = editor
    let stale = false
    const description = LanguageDescription.matchFilename(languages, baseName(name))
    if (description) {
      void description.load().then((support) => {
        if (stale) return
        editor.dispatch({ effects: language.reconfigure(support) })
        setLanguageName(description.name)
      })
    }
    return () => {
      stale = true
      editor.destroy()
      view.current = null
    }
  }, [text, name, dark, height, language])

  return <div ref={host} data-language={languageName ?? 'plain text'} aria-label="Text preview" role="region" />
}
