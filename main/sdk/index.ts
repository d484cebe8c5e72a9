/**
 * `backplane/engine`: what a custom engine is written with. The same modules the app itself runs (not
 * copies), so an engine extends the very base classes of the built-in engines, throws errors the GUI
 * understands, and declares options with the zod the settings form is generated from.
 *
 *   import { BaseCache, CacheOptions, defineEngine, z } from 'backplane/engine'
 *
 * Read docs/custom-engines.md for a walk through writing one; `npx backplane test-engine` runs the
 * kind's contract suite against it.
 */
export { z } from 'zod'

// Declaring engines
export { defineEngine, secretString, kindSpec } from '../core/engine'
export type { Backend, BackendKinds, BackendOf, EngineContext, EngineDefinition, EngineServices, KindSpec, OptionsSchema, RequiredMethod } from '../core/engine'
export type { Logger } from '../core/log'
export type { Kind } from '../core/schemas/kinds'

// Errors and health
export { BackplaneError, ErrorCode } from '../core/errors'
export { ERROR_CATALOGUE } from '../core/schemas/error-codes'
export type { ErrorPayload } from '../core/schemas/error'
export { HealthProbe } from '../core/health-probe'
export type { HealthReport, HealthState, HealthStep } from '../core/schemas/health'
export { globMatcher } from '../core/glob'

// mail
export { BaseMailBackend, MailOptions } from '../backends/mail/base'
export type { ComposedMessage, Diagnosis, EmailAttachment, EmailMessage, Envelope, MailBackend, SendTrace, TranscriptLine } from '../backends/mail/base'
// data
export { BaseDatabase, DatabaseOptions, readOnlyRefusal, statementError } from '../backends/data/base'
export { jsonCell, toJsonCell } from '../backends/data/cells'
export { quoteWith, standardDialect, standardLiteral } from '../backends/data/dialect'
export type {
  Column,
  ColumnDetail,
  DataSession,
  Database,
  LexerRules,
  QueryOptions,
  QueryResult,
  RowSink,
  SchemaSummary,
  SqlDialect,
  StatementOutcome,
  TableDetail,
  TableRef,
  TableSummary,
} from '../backends/data/base'
// cache
export { BaseCache, CacheOptions } from '../backends/cache/base'
export type { Cache, CacheEntryInfo, CacheScan, CacheValue, KeyOptions, SetOptions } from '../backends/cache/base'
// auth
export { AuthOptions, BaseAuthBackend } from '../backends/auth/base'
export type {
  AuthBackend,
  AuthGroup,
  AuthPermission,
  AuthRefusal,
  AuthResult,
  AuthUser,
  AuthUserDetail,
  Credentials,
  ExternalUser,
  NewUser,
  UserFields,
  UserPage,
  UserPatch,
  UserQuery,
  WithPermOptions,
} from '../backends/auth/base'
// Django's password hashers and validators, for an engine that stores Django hashes of its own
export { checkPassword, isPasswordUsable, makePassword, unusablePassword } from '../backends/auth/hashers'
export { validatePassword } from '../backends/auth/validators'
// storage
export { BaseStorage, NameTakenError, StorageOptions, alternativeName, extensionOf, getValidName, normalizeName, notFound, pageEntries, streamToString, toReadable, validFileName } from '../backends/storage/base'
export type {
  ByteRange,
  CopyOptions,
  ExclusiveWrite,
  ListOptions,
  OpenOptions,
  PresignOptions,
  PutOptions,
  SaveOptions,
  Storage,
  StorageContent,
  StorageEntry,
  StorageFeatures,
  StorageListing,
  StoragePrimitives,
  WriteOptions,
} from '../backends/storage/base'
// Built-in engines meant to be extended (as Django's file mail backend is its console backend)
export { FileSystemOptions, FileSystemStorage } from '../backends/storage/engines/filesystem'

// The contract suites the built-in engines pass, for an engine's own test runner
export { contractSuites, runContractSuite } from '../backends/contracts'
export type { ContractCase, ContractSuite, ContractResult } from '../backends/contracts'
