import { Alert, Code, Group, Text } from '@mantine/core'
import { IconStethoscope } from '@tabler/icons-react'
import type { SendTraceView } from '../../../../main/api/contract'
import type { z } from 'zod'

type Diagnosis = NonNullable<z.infer<typeof SendTraceView>['diagnosis']>

/** What most likely went wrong and what to change, e.g. the names a TLS certificate is valid for. */
export function SendDiagnosis({ diagnosis }: { diagnosis: Diagnosis }) {
  return (
    <Alert color="red" icon={<IconStethoscope size={18} />} title={diagnosis.summary} aria-label="Diagnosis">
      <Text size="sm">{diagnosis.hint}</Text>
      {diagnosis.certificateNames && diagnosis.certificateNames.length > 0 && (
        <Group gap={4} mt={6}>
          <Text size="xs">The certificate is for:</Text>
          {diagnosis.certificateNames.map((name) => (
            <Code key={name} fz="xs">
              {name}
            </Code>
          ))}
        </Group>
      )}
      {diagnosis.serverResponse && (
        <Text size="xs" mt={6}>
          Server said: <Code fz="xs">{diagnosis.serverResponse}</Code>
        </Text>
      )}
      <Text size="xs" c="dimmed" mt={4}>
        Problem: {diagnosis.problem}
      </Text>
    </Alert>
  )
}
