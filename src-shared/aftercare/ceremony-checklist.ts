import type { JournalEntry } from '../journal/types';
import { BREAKGLASS_CLEANUP } from './breakglass-cleanup';
import type { CeremonyType, ChecklistItem } from './checklist-item';
import { checklistStatus, type ChecklistStatus } from './checklist-status';
import { text, time } from './payload-fields';
import { ROOT_LOGIN_AFTERCARE } from './root-login-aftercare';

export function checklistFor(type: CeremonyType): readonly ChecklistItem[] {
  return type === 'breakglass-role' ? BREAKGLASS_CLEANUP : ROOT_LOGIN_AFTERCARE;
}

export function ceremonyTypeOf(entries: readonly JournalEntry[]): CeremonyType {
  const started = entries.find((e) => e.kind === 'ceremony_started');
  return started && started.payload.type === 'breakglass-role' ? 'breakglass-role' : 'root-login';
}

/**
 * When the 24-hour clock started: sign-out for a root login (after-care is "within 24 hours"
 * after), session start for the role (the cleanup runbook's clock "starts at session start").
 * Null while it has not started.
 */
export function clockStartOf(entries: readonly JournalEntry[]): string | null {
  if (ceremonyTypeOf(entries) === 'breakglass-role') {
    const session = entries.find((e) => e.kind === 'role_session_started');
    const t = session ? time(session.payload, 'session_started_at') : undefined;
    return t === undefined ? null : new Date(t).toISOString();
  }
  const out = entries.find((e) => e.kind === 'signed_out');
  const t = out ? time(out.payload, 'signed_out_at') : undefined;
  return t === undefined ? null : new Date(t).toISOString();
}

export function cleanupOwnerOf(entries: readonly JournalEntry[]): string | undefined {
  const session = entries.find((e) => e.kind === 'role_session_started');
  return session ? text(session.payload, 'cleanup_owner') : undefined;
}

/** The checklist of one ceremony from its journal, or null before its clock started. */
export function ceremonyChecklistStatus(entries: readonly JournalEntry[], now: Date | string): ChecklistStatus | null {
  const start = clockStartOf(entries);
  if (start === null) return null;
  const owner = cleanupOwnerOf(entries);
  const session = entries.find((e) => e.kind === 'role_session_started');
  const expiry = session ? text(session.payload, 'expiration') : undefined;
  return checklistStatus(checklistFor(ceremonyTypeOf(entries)), entries, start, now, {
    ...(owner ? { cleanupOwner: owner } : {}),
    ...(expiry ? { sessionExpiry: expiry } : {}),
  });
}
