import { Anchor, Breadcrumbs, Text } from '@mantine/core'
import { IconDatabase } from '@tabler/icons-react'
import classes from './file-browser.module.css'
import type { EntryDrag } from './use-entry-drag'

/** Where the listing is: the alias, then each folder; every level but the current one is a link up, and takes entries dragged onto it. */
export function PathBreadcrumbs({ path, alias, onNavigate, drag }: { path: string; alias: string; onNavigate: (path: string) => void; drag: EntryDrag }) {
  const parts = path ? path.split('/') : []
  const levels = [{ label: alias, path: '' }, ...parts.map((part, index) => ({ label: part, path: parts.slice(0, index + 1).join('/') }))]
  return (
    <nav aria-label="Folder">
      <Breadcrumbs separatorMargin={4}>
        {levels.map((level, index) => {
          const icon = index === 0 && <IconDatabase size={14} style={{ verticalAlign: -2, marginRight: 4 }} aria-hidden />
          return index === levels.length - 1 ? (
            <Text key={level.path} size="sm" fw={600} ff="monospace" aria-current="location">
              {icon}
              {level.label}
            </Text>
          ) : (
            <Anchor
              key={level.path}
              component="button"
              type="button"
              size="sm"
              ff="monospace"
              px={4}
              className={drag.over === level.path ? classes.dropTarget : undefined}
              style={{ borderRadius: 4 }}
              onClick={() => onNavigate(level.path)}
              {...drag.target(level.path)}
            >
              {icon}
              {level.label}
            </Anchor>
          )
        })}
      </Breadcrumbs>
    </nav>
  )
}
