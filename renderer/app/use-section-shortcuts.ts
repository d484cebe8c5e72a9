import { useHotkeys } from '@mantine/hooks'
import { useNavigate } from 'react-router'
import { SECTIONS } from './sections'

/**
 * Ctrl/Cmd+1…7 go to the sidebar's sections, also from inside a text field (the digits type nothing
 * there with the modifier held). In Electron the Go menu's accelerators do the same through
 * `ui.navigate`; in a browser tab, Chromium may keep these keys for switching tabs.
 */
export function useSectionShortcuts(): void {
  const navigate = useNavigate()
  useHotkeys(
    SECTIONS.map((section, index) => [`mod+${index + 1}`, () => void navigate(section.path), { preventDefault: true }]),
    [],
  )
}
