import { useLayoutEffect, useRef, useState } from 'react'

/**
 * The height from an element's top to the bottom of the window, kept current on resize: for panes
 * that scroll inside themselves (a mail client's split view) instead of growing the page.
 */
export function useFillHeight<T extends HTMLElement>(bottomGap = 16, minimum = 320) {
  const ref = useRef<T>(null)
  const [height, setHeight] = useState(minimum)
  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    const measure = () => setHeight(Math.max(minimum, Math.floor(window.innerHeight - element.getBoundingClientRect().top - bottomGap)))
    measure()
    // The banner above (connection lost) can come and go: its size changes shift this element.
    const observer = new ResizeObserver(measure)
    observer.observe(document.body)
    window.addEventListener('resize', measure)
    return () => {
      observer.disconnect()
      window.removeEventListener('resize', measure)
    }
  }, [bottomGap, minimum])
  return { ref, height }
}
