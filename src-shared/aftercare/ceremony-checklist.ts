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
  return typeOf(entries.find((e) => e.kind === 'ceremony_started'));
}

function typeOf(started: JournalEntry | undefined): CeremonyType {
  return started && started.payload.type === 'breakglass-role' ? 'breakglass-role' : 'root-login';
}

/**
 * When the 24-hour clock started: sign-out for a root login (after-care is "within 24 hours"
 * after), session start for the role (the cleanup runbook's clock "starts at session start").
 * Null while it has not started.
 */
export function clockStartOf(entries: readonly JournalEntry[]): string | null {
  return ceremonyTypeOf(entries) === 'breakglass-role'
    ? sessionClockStart(entries.find((e) => e.kind === 'role_session_started'))
    : signOutClockStart(entries.find((e) => e.kind === 'signed_out'));
}

function sessionClockStart(session: JournalEntry | undefined): string | null {
  const t = session ? time(session.payload, 'session_started_at') : undefined;
  return t === undefined ? null : new Date(t).toISOString();
}

function signOutClockStart(out: JournalEntry | undefined): string | null {
  const t = out ? time(out.payload, 'signed_out_at') : undefined;
  return t === undefined ? null : new Date(t).toISOString();
}

export function cleanupOwnerOf(entries: readonly JournalEntry[]): string | undefined {
  return ownerOf(entries.find((e) => e.kind === 'role_session_started'));
}

function ownerOf(session: JournalEntry | undefined): string | undefined {
  return session ? text(session.payload, 'cleanup_owner') : undefined;
}

/** The checklist of one ceremony from its journal, or null before its clock started. */
export function ceremonyChecklistStatus(entries: readonly JournalEntry[], now: Date | string): ChecklistStatus | null {
  const { started, session, signedOut, evidence } = landmarks(entries);
  const type = typeOf(started);
  const start = type === 'breakglass-role' ? sessionClockStart(session) : signOutClockStart(signedOut);
  if (start === null) return null;
  const owner = ownerOf(session);
  const expiry = session ? text(session.payload, 'expiration') : undefined;
  return checklistStatus(checklistFor(type), evidence, start, now, {
    ...(owner ? { cleanupOwner: owner } : {}),
    ...(expiry ? { sessionExpiry: expiry } : {}),
  });
}

/**
 * The first entry of each kind the checklist reads, and its evidence entries, in one pass: the
 * state of a long ceremony is derived over 100,000 running-log lines, which a search per kind
 * would read four times.
 */
function landmarks(entries: readonly JournalEntry[]) {
  let started: JournalEntry | undefined;
  let session: JournalEntry | undefined;
  let signedOut: JournalEntry | undefined;
  const evidence: JournalEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const kind = e.kind;
    if (kind === 'action_logged') continue;
    if (kind === 'ceremony_started') started ??= e;
    else if (kind === 'role_session_started') session ??= e;
    else if (kind === 'signed_out') signedOut ??= e;
    else if (kind === 'aftercare_evidence' || kind === 'aftercare_signoff') evidence.push(e);
  }
  return { started, session, signedOut, evidence };
}
