import { Badge, Group, Kbd, NavLink, Tooltip } from '@mantine/core'
import { Link, useLocation } from 'react-router'
import type { HealthState } from '../../main/api/contract'
import { StatusDot } from '../components/status-dot'
import { HEALTH_LABEL } from '../components/health-state'
import { MOD_KEY_LABEL } from '../components/mod-key'
import type { Section } from './sections'

interface SidebarLinkProps {
  section: Section
  shortcut: number
  health?: HealthState
  unread?: number
}

export function SidebarLink({ section, shortcut, health, unread }: SidebarLinkProps) {
  const { pathname } = useLocation()
  const active = section.path === '/' ? pathname === '/' : pathname.startsWith(section.path)
  const Icon = section.icon
  return (
    <Tooltip
      position="right"
      label={
        <Group gap={4}>
          {section.label}
          <Kbd size="xs">{MOD_KEY_LABEL}</Kbd>+<Kbd size="xs">{shortcut}</Kbd>
        </Group>
      }
    >
      <NavLink
        component={Link}
        to={section.path}
        active={active}
        aria-current={active ? 'page' : undefined}
        label={section.label}
        aria-keyshortcuts={`${MOD_KEY_LABEL === '⌘' ? 'Meta' : 'Control'}+${shortcut}`}
        leftSection={<Icon size={18} stroke={1.6} />}
        rightSection={
          <Group gap={6} wrap="nowrap">
            {unread !== undefined && unread > 0 && (
              <Badge size="xs" variant="filled" color="indigo" circle={unread < 10} aria-label={`${unread} unread`}>
                {unread > 999 ? '999+' : unread}
              </Badge>
            )}
            {health && <StatusDot state={health} label={`${section.label}: ${HEALTH_LABEL[health]}`} />}
          </Group>
        }
        styles={{ root: { borderRadius: 'var(--mantine-radius-sm)' } }}
      />
    </Tooltip>
  )
}
