/** How the platform names the shortcut modifier Mantine calls `mod`. */
export const MOD_KEY_LABEL = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl'
