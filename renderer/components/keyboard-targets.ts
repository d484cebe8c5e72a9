/** Keys typed into a field belong to the field: page shortcuts (/, j, k, r, Delete) leave them alone. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  const tag = target.tagName
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT'
}

/** Elements where Enter or Space already mean something (press the button, follow the link, pick the tab). */
export function isActivatable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('button, a[href], [role="tab"], [role="row"], [role="button"], [role="menuitem"], summary') !== null
}

/** Inside a dialog or menu, the keys are the dialog's. */
export function isInOverlay(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest('[role="dialog"], [role="menu"], [role="listbox"]') !== null
}
