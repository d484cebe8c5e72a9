import { Anchor, Breadcrumbs, Text } from '@mantine/core'
import { IconFolder } from '@tabler/icons-react'

/** Where the listing is; every level but the current one is a link up. */
export function PathBreadcrumbs({ path, alias, onNavigate }: { path: string; alias: string; onNavigate: (path: string) => void }) {
  const parts = path ? path.split('/') : []
  const levels = [{ label: alias, path: '' }, ...parts.map((part, index) => ({ label: part, path: parts.slice(0, index + 1).join('/') }))]
  return (
    <Breadcrumbs aria-label="Folder" separatorMargin={4}>
      {levels.map((level, index) =>
        index === levels.length - 1 ? (
          <Text key={level.path} size="sm" fw={600} ff="monospace" aria-current="location">
            {index === 0 && <IconFolder size={14} style={{ verticalAlign: -2, marginRight: 4 }} />}
            {level.label}
          </Text>
        ) : (
          <Anchor key={level.path} component="button" type="button" size="sm" ff="monospace" onClick={() => onNavigate(level.path)}>
            {index === 0 && <IconFolder size={14} style={{ verticalAlign: -2, marginRight: 4 }} />}
            {level.label}
          </Anchor>
        ),
      )}
    </Breadcrumbs>
  )
}
