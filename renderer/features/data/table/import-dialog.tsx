import { Alert, Button, Checkbox, FileInput, Group, Modal, Progress, ScrollArea, Select, Stack, Table, Text } from '@mantine/core'
import { IconFileImport } from '@tabler/icons-react'
import { useRef, useState } from 'react'
import { ErrorCode } from '../../../../main/api/contract'
import { ApiError } from '../../../api/api-error'
import { useApiClient } from '../../../api/hooks'
import { ErrorAlert } from '../../../components/error-alert'
import { formatBytes } from '../../../components/format'
import { parseCsv } from './csv'
import { guessMapping, importCsv, MAX_IMPORT_BYTES, previewCsv, type CsvPreview, type ImportOutcome, type ImportProgress } from './csv-import'
import type { GridColumn } from './grid-model'
import type { TableRef } from './table-ref'

const DELIMITERS = [
  { value: ',', label: 'Comma' },
  { value: ';', label: 'Semicolon' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Pipe' },
]
const SKIP = '\u0000skip'

interface ImportDialogProps {
  alias: string
  table: TableRef
  columns: readonly GridColumn[]
  onClose: () => void
  /** Rows went in: the grid reloads. */
  onImported: () => void
}

/** A CSV file into the table: preview and column mapping first, then inserts in batches with progress and cancel. */
export function ImportDialog({ alias, table, columns, onClose, onImported }: ImportDialogProps) {
  const client = useApiClient()
  const [file, setFile] = useState<File | null>(null)
  const [preview, setPreview] = useState<CsvPreview | null>(null)
  const [readError, setReadError] = useState<unknown>(null)
  const [delimiter, setDelimiter] = useState(',')
  const [hasHeader, setHasHeader] = useState(true)
  const [emptyAsNull, setEmptyAsNull] = useState(true)
  const [mapping, setMapping] = useState<(string | null)[]>([])
  const [progress, setProgress] = useState<ImportProgress | null>(null)
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null)
  const abort = useRef<AbortController | null>(null)
  const running = progress !== null && outcome === null

  const choose = async (chosen: File | null) => {
    setFile(chosen)
    setPreview(null)
    setOutcome(null)
    setProgress(null)
    setReadError(null)
    if (!chosen) return
    if (chosen.size > MAX_IMPORT_BYTES) {
      setReadError(new ApiError({ code: ErrorCode.E_TOO_LARGE, message: `${chosen.name} is ${formatBytes(chosen.size)}; the import here takes up to ${formatBytes(MAX_IMPORT_BYTES)}.`, hint: 'Split the file, or load it with the database’s own tool (sqlite3 .import, psql \\copy, LOAD DATA).' }))
      return
    }
    try {
      const read = await previewCsv(chosen)
      setPreview(read)
      setDelimiter(read.delimiter)
      setMapping(guessMapping(read.first, columns))
    } catch (error) {
      setReadError(error)
    }
  }

  const changeDelimiter = async (next: string) => {
    setDelimiter(next)
    if (!file) return
    const records = parseCsv(await file.slice(0, 64 * 1024).text(), next).slice(0, 21)
    const read = { delimiter: next, first: records[0]?.fields ?? [], rows: records.slice(1).map((r) => r.fields) }
    setPreview(read)
    setMapping(guessMapping(read.first, columns))
  }

  const start = async () => {
    if (!file) return
    const controller = new AbortController()
    abort.current = controller
    setOutcome(null)
    setProgress({ bytesRead: 0, inserted: 0 })
    const result = await importCsv(client, { alias, table, columns }, file, { delimiter, hasHeader, emptyAsNull, mapping }, setProgress, controller.signal)
    setOutcome(result)
    if (result.inserted > 0) onImported()
  }

  const width = preview ? Math.max(preview.first.length, ...preview.rows.map((r) => r.length)) : 0
  const headers = preview ? Array.from({ length: width }, (_, i) => (hasHeader ? (preview.first[i] ?? `column ${i + 1}`) : `column ${i + 1}`)) : []
  const shownRows = preview ? (hasHeader ? preview.rows : [preview.first, ...preview.rows]).slice(0, 20) : []
  const mapped = mapping.filter((m) => m !== null).length
  const options = [{ value: SKIP, label: 'skip' }, ...columns.map((c) => ({ value: c.name, label: `${c.name} ${c.type.toLowerCase()}` }))]

  return (
    <Modal opened onClose={() => !running && onClose()} title={`Import CSV into ${table.name}`} size="90%">
      <Stack gap="sm">
        <FileInput
          label="CSV file"
          placeholder="Choose a .csv file"
          accept=".csv,.tsv,.txt,text/csv"
          value={file}
          onChange={(chosen) => void choose(chosen)}
          leftSection={<IconFileImport size={14} />}
          disabled={running}
          description={`Up to ${formatBytes(MAX_IMPORT_BYTES)}; rows go in ${'1,000'} at a time.`}
        />
        {readError !== null && <ErrorAlert error={readError} title="The file cannot be imported" />}
        {preview && (
          <>
            <Group gap="md">
              <Select size="xs" label="Delimiter" w={130} data={DELIMITERS} value={delimiter} onChange={(v) => v && void changeDelimiter(v)} allowDeselect={false} disabled={running} />
              <Checkbox size="xs" mt={18} label="First row is a header" checked={hasHeader} onChange={(e) => setHasHeader(e.currentTarget.checked)} disabled={running} />
              <Checkbox size="xs" mt={18} label="Empty fields are NULL" checked={emptyAsNull} onChange={(e) => setEmptyAsNull(e.currentTarget.checked)} disabled={running} />
            </Group>
            <ScrollArea type="auto" mah={380} style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-sm)' }}>
              <Table fz="xs" striped withColumnBorders aria-label="CSV preview" style={{ whiteSpace: 'nowrap' }}>
                <Table.Thead>
                  <Table.Tr>
                    {headers.map((header, i) => (
                      <Table.Th key={i} miw={140}>
                        <Text size="xs" fw={600} ff="monospace">
                          {header}
                        </Text>
                        <Select
                          size="xs"
                          mt={4}
                          aria-label={`Table column for ${header}`}
                          data={options}
                          value={mapping[i] ?? SKIP}
                          onChange={(v) => setMapping((m) => Array.from({ length: width }, (_, j) => (j === i ? (v === SKIP || v === null ? null : v) : (m[j] ?? null))))}
                          allowDeselect={false}
                          disabled={running}
                        />
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shownRows.map((row, r) => (
                    <Table.Tr key={r}>
                      {headers.map((_, i) => (
                        <Table.Td key={i} ff="monospace" c={mapping[i] ? undefined : 'dimmed'} maw={260} style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
                          {row[i] ?? ''}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
            <Text size="xs" c="dimmed">
              The first {shownRows.length} rows; {mapped} of {width} CSV columns go into the table, the others are skipped. Columns left out get their defaults.
            </Text>
          </>
        )}
        {progress && (
          <Stack gap={4}>
            <Progress value={!running || !file || file.size === 0 ? 100 : (100 * progress.bytesRead) / file.size} color={outcome?.error ? 'red' : undefined} animated={running} aria-label="Import progress" />
            <Text size="xs" aria-live="polite">
              {progress.inserted.toLocaleString('en')} rows inserted{running ? ` · ${formatBytes(progress.bytesRead)} of ${formatBytes(file?.size ?? 0)} read` : ''}
            </Text>
          </Stack>
        )}
        {outcome?.error && <ErrorAlert error={outcome.error} title={`Stopped after ${outcome.inserted.toLocaleString('en')} rows`} />}
        {outcome && !outcome.error && (
          <Alert color={outcome.cancelled ? 'yellow' : 'green'} variant="light" p="xs" role="status">
            {outcome.cancelled ? `Cancelled: ${outcome.inserted.toLocaleString('en')} rows were inserted before it stopped.` : `Inserted ${outcome.inserted.toLocaleString('en')} rows.`}
          </Alert>
        )}
        <Group justify="flex-end" gap="xs">
          {running ? (
            <Button variant="default" color="red" onClick={() => abort.current?.abort()}>
              Cancel the import
            </Button>
          ) : (
            <>
              <Button variant="default" onClick={onClose}>
                {outcome ? 'Close' : 'Cancel'}
              </Button>
              {!outcome && (
                <Button onClick={() => void start()} disabled={!preview || mapped === 0}>
                  Import
                </Button>
              )}
            </>
          )}
        </Group>
      </Stack>
    </Modal>
  )
}
