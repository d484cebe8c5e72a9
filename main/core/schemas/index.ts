// Zod schemas shared by main and renderer. Nothing here may import Node or a backend:
// main/api/contract re-exports it, and the renderer bundles the contract.
export * from './error'
export * from './health'
export * from './kinds'
export * from './error-codes'
export * from './count-noun'
export * from './name-match'
