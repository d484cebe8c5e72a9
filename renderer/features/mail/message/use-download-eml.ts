import { useApiMutation } from '../../../api/hooks'
import { saveBase64File } from '../../../components/save-base64-file'

/** Saves the exact bytes received as a .eml file, named after the subject. */
export function useDownloadEml(id: number) {
  return useApiMutation('outbox.download', {
    onSuccess: ({ filename, contentBase64 }) => saveBase64File(filename || `message-${id}.eml`, contentBase64, 'message/rfc822'),
  })
}
