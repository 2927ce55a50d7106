import { useEffect, useRef } from 'react';
import { useAppStore } from '../store';

/**
 * Keeps the keyboard user's place across a call to main. Buttons disable themselves while a call
 * is in flight (one decision at a time), and a disabled button drops the focus to <body>; so is a
 * touch prompt that closes. When the call ends and the focus is nowhere, it goes back to the
 * control that started it if it is still on screen, else to the screen's heading (a new screen
 * focuses its own heading anyway: see Screen).
 */
export function FocusKeeper() {
  const busy = useAppStore((s) => s.ceremony.busy !== null || s.key.busy || s.key.touchNeeded);
  const origin = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (busy) {
      const active = document.activeElement;
      origin.current = active instanceof HTMLElement && active !== document.body ? active : origin.current;
      return;
    }
    const back = origin.current;
    origin.current = null;
    if (!back) return;
    // After React has re-enabled the control.
    const frame = requestAnimationFrame(() => {
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (!lost) return;
      // The control may be gone (a form replaced by what it recorded): then the screen's heading.
      if (back.isConnected && !(back as HTMLButtonElement).disabled) back.focus();
      else document.querySelector<HTMLElement>('main h1')?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [busy]);
  return null;
}
