import { useEffect, useRef, type RefObject } from 'react'

interface UploadInputsProps {
  filesInput: RefObject<HTMLInputElement | null>
  folderInput: RefObject<HTMLInputElement | null>
  onFiles: (files: File[]) => void
}

/**
 * The system pickers, hidden: one for files, one for a whole folder (webkitdirectory, which React does
 * not know as a property, so it is set on the element). The buttons and menu items click them.
 */
export function UploadInputs({ filesInput, folderInput, onFiles }: UploadInputsProps) {
  const latest = useRef(onFiles)
  useEffect(() => {
    latest.current = onFiles
  })
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '')
  }, [folderInput])
  const take = (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])]
    // Cleared, so picking the same files again fires change again.
    input.value = ''
    if (files.length > 0) latest.current(files)
  }
  return (
    <>
      <input ref={filesInput} type="file" multiple hidden aria-label="Upload files" onChange={(event) => take(event.currentTarget)} />
      <input ref={folderInput} type="file" multiple hidden aria-label="Upload a folder" onChange={(event) => take(event.currentTarget)} />
    </>
  )
}
