import { z } from 'zod'
import { method } from './define'

const Alias = z.string().default('default')

export const QueryResultView = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string().optional() })),
  rows: z.array(z.array(z.unknown())),
  rowCount: z.number(),
  truncated: z.boolean(),
  durationMs: z.number(),
})

export const dataMethods = {
  'data.tables': method({
    description: 'Tables and views of a database alias.',
    input: z.object({ alias: Alias }),
    output: z.array(z.object({ schema: z.string().optional(), name: z.string(), type: z.enum(['table', 'view']) })),
  }),
  'data.query': method({
    description: 'Runs one SQL statement; rows stop at maxRows.',
    input: z.object({
      alias: Alias,
      sql: z.string().min(1, 'Type a SQL statement.'),
      params: z.array(z.unknown()).default([]),
      maxRows: z.number().int().min(1).max(100_000).default(1000),
    }),
    output: QueryResultView,
  }),
}
