import type { CompletionSource } from '@codemirror/autocomplete'
import { sql } from '@codemirror/lang-sql'
import { setDiagnostics } from '@codemirror/lint'
import { Compartment, EditorSelection, Prec, type Extension, type Text } from '@codemirror/state'
import { EditorView, keymap, placeholder } from '@codemirror/view'
import { useComputedColorScheme } from '@mantine/core'
import { basicSetup } from 'codemirror'
import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react'
import classes from './console.module.css'
import { editorTheme } from './editor-theme'
import type { TextRange } from './error-range'
import type { ConsoleDialect } from './sql-dialect'
import { statementAt } from './sql-statements'

/** What a run takes from the editor: the selection, or the statement under the cursor. */
export interface RunTarget extends TextRange {
  text: string
  kind: 'selection' | 'statement'
}

export interface ConsoleEditorHandle {
  text(): string
  /** The editor's content now, to tell later whether it changed since (offsets still valid). */
  snapshot(): Text | undefined
  unchangedSince(snapshot: Text | undefined): boolean
  target(): RunTarget | undefined
  /** Replaces the whole text (undoable), cursor at the end. */
  replace(text: string): void
  showError(range: TextRange, message: string, source?: string): void
  clearErrors(): void
  focus(): void
}

interface ConsoleEditorProps {
  ref: Ref<ConsoleEditorHandle>
  initialText: string
  dialect: ConsoleDialect
  completion: CompletionSource
  placeholderText: string
  onTextChange: (text: string) => void
  onRunCurrent: () => void
  onRunAll: () => void
  onSave: () => void
  /** Esc: true when it cancelled a running query (else Esc does what it does in the editor). */
  onCancel: () => boolean
}

function languageOf(dialect: ConsoleDialect, completion: CompletionSource): Extension {
  return [sql({ dialect: dialect.editor, upperCaseKeywords: true }), dialect.editor.language.data.of({ autocomplete: completion })]
}

/** CodeMirror 6 with the alias's SQL dialect, schema completion, the console's shortcuts and Mantine's colours. */
export function ConsoleEditor(props: ConsoleEditorProps) {
  const { ref, dialect, completion, placeholderText } = props
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const latest = useRef(props)
  const [compartments] = useState(() => ({ language: new Compartment(), theme: new Compartment(), placeholder: new Compartment() }))
  const scheme = useComputedColorScheme('light')
  const initialScheme = useRef(scheme)

  useEffect(() => {
    latest.current = props
  })

  useEffect(() => {
    const { initialText, dialect: firstDialect, completion: firstCompletion, placeholderText: firstPlaceholder } = latest.current
    const shortcuts = Prec.highest(
      keymap.of([
        { key: 'Mod-Enter', run: () => (latest.current.onRunCurrent(), true) },
        { key: 'Shift-Mod-Enter', run: () => (latest.current.onRunAll(), true) },
        { key: 'Mod-s', run: () => (latest.current.onSave(), true), preventDefault: true },
        { key: 'Escape', run: () => latest.current.onCancel() },
      ]),
    )
    const editor = new EditorView({
      parent: host.current!,
      doc: initialText,
      extensions: [
        shortcuts,
        basicSetup,
        compartments.language.of(languageOf(firstDialect, firstCompletion)),
        compartments.theme.of(editorTheme(initialScheme.current === 'dark')),
        compartments.placeholder.of(placeholder(firstPlaceholder)),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': 'SQL editor', spellcheck: 'false' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) latest.current.onTextChange(update.state.doc.toString())
        }),
      ],
    })
    view.current = editor
    return () => {
      editor.destroy()
      view.current = null
    }
  }, [compartments])

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.language.reconfigure(languageOf(dialect, completion)) })
  }, [compartments, dialect, completion])

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.theme.reconfigure(editorTheme(scheme === 'dark')) })
  }, [compartments, scheme])

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.placeholder.reconfigure(placeholder(placeholderText)) })
  }, [compartments, placeholderText])

  useImperativeHandle(
    ref,
    () => ({
      text: () => view.current?.state.doc.toString() ?? '',
      snapshot: () => view.current?.state.doc,
      unchangedSince: (snapshot) => snapshot !== undefined && view.current?.state.doc === snapshot,
      target() {
        const state = view.current?.state
        if (!state) return undefined
        const { from, to, head } = state.selection.main
        if (from !== to) {
          const text = state.sliceDoc(from, to)
          return text.trim() === '' ? undefined : { from, to, text, kind: 'selection' }
        }
        const statement = statementAt(state.doc.toString(), head, latest.current.dialect.rules)
        return statement && { ...statement, kind: 'statement' }
      },
      replace(text) {
        const editor = view.current
        if (!editor) return
        editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text }, selection: EditorSelection.cursor(text.length), scrollIntoView: true })
        editor.focus()
      },
      showError(range, message, source) {
        const editor = view.current
        if (!editor) return
        const length = editor.state.doc.length
        const from = Math.min(range.from, length)
        const to = Math.min(Math.max(range.to, from), length)
        editor.dispatch(setDiagnostics(editor.state, [{ from, to, severity: 'error', message, ...(source ? { source } : {}) }]))
        editor.dispatch({ effects: EditorView.scrollIntoView(from, { y: 'nearest' }) })
      },
      clearErrors() {
        const editor = view.current
        if (editor) editor.dispatch(setDiagnostics(editor.state, []))
      },
      focus: () => view.current?.focus(),
    }),
    [],
  )

  return <div ref={host} className={classes.editor} data-testid="sql-editor" />
}
