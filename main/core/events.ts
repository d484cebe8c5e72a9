import { EventEmitter } from 'node:events'

export type EventListener = (payload: unknown) => void
export type AnyEventListener = (name: string, payload: unknown) => void

/**
 * The process-wide event stream (health changes, new mail, transfer progress). Typed at the API layer,
 * where the contract names each event and its payload; down here an event is a name and a value.
 */
export class EventBus {
  private readonly emitter = new EventEmitter()
  private readonly anyListeners = new Set<AnyEventListener>()

  constructor() {
    this.emitter.setMaxListeners(0)
  }

  emit(name: string, payload: unknown): void {
    this.emitter.emit(name, payload)
    for (const listener of this.anyListeners) listener(name, payload)
  }

  on(name: string, listener: EventListener): () => void {
    this.emitter.on(name, listener)
    return () => this.emitter.off(name, listener)
  }

  onAny(listener: AnyEventListener): () => void {
    this.anyListeners.add(listener)
    return () => this.anyListeners.delete(listener)
  }
}
