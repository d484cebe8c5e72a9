import { ActionIcon, Badge, Button, Checkbox, createTheme, NumberInput, PasswordInput, Select, Switch, Table, TagsInput, Text, Textarea, TextInput, Tooltip } from '@mantine/core'

const MONOSPACE = 'ui-monospace, "SF Mono", "Cascadia Mono", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace'

/**
 * A compact admin look (Beekeeper, RedisInsight): small controls, tight tables, system fonts (the
 * CSP allows no remote fonts and the app ships none), monospace for keys, SQL, JSON and transcripts.
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, Cantarell, sans-serif',
  fontFamilyMonospace: MONOSPACE,
  headings: { sizes: { h1: { fontSize: '1.35rem' }, h2: { fontSize: '1.1rem' }, h3: { fontSize: '0.95rem' } } },
  components: {
    Button: Button.extend({ defaultProps: { size: 'xs' } }),
    ActionIcon: ActionIcon.extend({ defaultProps: { variant: 'subtle', color: 'gray' } }),
    TextInput: TextInput.extend({ defaultProps: { size: 'xs' } }),
    PasswordInput: PasswordInput.extend({ defaultProps: { size: 'xs' } }),
    NumberInput: NumberInput.extend({ defaultProps: { size: 'xs' } }),
    Select: Select.extend({ defaultProps: { size: 'xs', allowDeselect: false } }),
    TagsInput: TagsInput.extend({ defaultProps: { size: 'xs' } }),
    Textarea: Textarea.extend({ defaultProps: { size: 'xs' } }),
    Checkbox: Checkbox.extend({ defaultProps: { size: 'xs' } }),
    Switch: Switch.extend({ defaultProps: { size: 'xs' } }),
    Badge: Badge.extend({ defaultProps: { size: 'sm', variant: 'light', radius: 'sm' } }),
    Text: Text.extend({ defaultProps: { size: 'sm' } }),
    Table: Table.extend({ defaultProps: { fz: 'xs', verticalSpacing: 4, horizontalSpacing: 'xs', highlightOnHover: true } }),
    Tooltip: Tooltip.extend({ defaultProps: { openDelay: 300, withArrow: true } }),
  },
})
