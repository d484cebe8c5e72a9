import { useState } from 'react'

/**
 * What a dialog's button runs: busy while it runs, its error kept for the dialog to show (with its
 * hint), and the dialog closed only once it succeeded.
 */
export function useDialogAction(onDone: () => void) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const run = async (action: () => unknown) => {
    setBusy(true)
    setError(null)
    try {
      await action()
      onDone()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, clearError: () => setError(null), run }
}
