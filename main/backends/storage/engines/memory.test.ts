import { storageContract } from '../../../../test/contracts/storage.contract'
import { createBackend, testContext } from '../../../../test/support/engine-context'
import type { Storage } from '../base'
import { memoryEngine } from './memory'

storageContract('memory', () => createBackend<Storage>(memoryEngine, {}, testContext('storage')))
