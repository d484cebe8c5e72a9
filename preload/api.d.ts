/** What the preload script puts on `window.backplane` in the Electron host; absent in serve mode. */
export interface BackplaneBridge {
  /** Calls an API method; rejects with an Error carrying code, message, hint and details. */
  call(method: string, input: unknown): Promise<unknown>
  /** Every event from the main process; returns the unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void
}

declare global {
  interface Window {
    backplane?: BackplaneBridge
  }
}
