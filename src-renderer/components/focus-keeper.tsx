import { useEffect, useRef } from 'react';
import { useAppStore } from '../store';

/** The screen on display (Screen sets data-screen), to tell "same screen" from "a new step". */
const currentScreen = () => document.querySelector<HTMLElement>('main section.screen')?.dataset.screen ?? null;

/**
 * Keeps the keyboard user's place across a call to main, and moves it on after a record.
 * Buttons disable themselves while a call is in flight (one decision at a time), and a disabled
 * button drops the focus to <body>; so does a touch prompt that closes. When a record succeeded
 * on the same screen, the focus goes to the screen's next action (the control marked data-next,
 * e.g. the lock button): it is often below the fold, and leaving the focus on "Record" invites
 * a second Enter. Otherwise the focus goes back to the control that started the call, else to
 * the heading (a new screen focuses its own heading: see Screen).
 */
export function FocusKeeper() {
  const busy = useAppStore((s) => s.ceremony.busy !== null || s.key.busy || s.key.touchNeeded);
  const recorded = useAppStore((s) => s.ceremony.recorded);
  const origin = useRef<{ el: HTMLElement | null; screen: string | null; recorded: number }>({
    el: null,
    screen: null,
    recorded: 0,
  });
  useEffect(() => {
    if (busy) {
      const active = document.activeElement;
      const el = active instanceof HTMLElement && active !== document.body ? active : origin.current.el;
      origin.current = { el, screen: currentScreen(), recorded: useAppStore.getState().ceremony.recorded };
      return;
    }
    const { el: back, screen, recorded: before } = origin.current;
    origin.current = { el: null, screen: null, recorded: 0 };
    if (!back) return;
    // After React has re-enabled the control (and drawn what the record changed).
    const frame = requestAnimationFrame(() => {
      const next = document.querySelector<HTMLElement>('main [data-next="true"]:not(:disabled)');
      if (useAppStore.getState().ceremony.recorded > before && screen !== null && screen === currentScreen() && next) {
        next.focus();
        next.scrollIntoView({ block: 'center' });
        return;
      }
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (!lost) return;
      // The control may be gone (a form replaced by what it recorded): then the screen's heading.
      if (back.isConnected && !(back as HTMLButtonElement).disabled) back.focus();
      else document.querySelector<HTMLElement>('main h1')?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [busy, recorded]);
  return null;
}
