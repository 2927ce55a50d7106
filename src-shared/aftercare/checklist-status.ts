import type { JournalEntry } from '../journal/types';
import type { ChecklistItem } from './checklist-item';
import { text, time } from './payload-fields';

export type ItemState = 'done' | 'due' | 'overdue' | 'not-yet';

export interface AcceptedEvidence {
  seq: number;
  kind: 'aftercare_evidence' | 'aftercare_signoff';
  text: string;
  at: string;
  by?: string;
  file_sha256?: string;
  file_name?: string;
}

export interface ItemStatus {
  id: string;
  title: string;
  runbook: string;
  window: string;
  state: ItemState;
  opens_at: string;
  due_at: string;
  /** Done after due_at: still done, but the review should see it was late. */
  late: boolean;
  evidence: AcceptedEvidence[];
  /** Entries for this item that do not count, and why (shown so nothing is silently dropped). */
  rejected: Array<{ seq: number; reason: string }>;
  /** For a sign-off: the certified items not done yet. */
  waiting_for: string[];
}

export interface ChecklistStatus {
  items: ItemStatus[];
  summary: {
    total: number;
    done: number;
    due: number;
    overdue: number;
    not_yet: number;
    complete: boolean;
    next_due_at: string | null;
  };
}

export interface ChecklistOptions {
  /** The cleanup owner named at the start; when set, only their sign-off counts. */
  cleanupOwner?: string;
  /** When the role session's credentials expire: items that verify the expiry open no earlier. */
  sessionExpiry?: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const MINUTE = 60_000;

const samePerson = (a: string, b: string) =>
  a.trim().replace(/^@/, '').toLowerCase() === b.trim().replace(/^@/, '').toLowerCase();

function toMs(value: Date | string, name: string): number {
  const t = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`${name} is not a valid time: ${String(value)}`);
  return t;
}

type Judged = { ok: true; evidence: AcceptedEvidence } | { ok: false; reason: string };

function judge(entry: JournalEntry, item: ChecklistItem, now: number, options: ChecklistOptions): Judged {
  const p = entry.payload;
  const body = text(p, 'text');
  if (!body) return { ok: false, reason: 'no evidence text: a bare tick does not count' };
  if (entry.kind === 'aftercare_signoff') {
    const by = text(p, 'by');
    if (!by) return { ok: false, reason: 'sign-off without a name' };
    if (options.cleanupOwner && !samePerson(by, options.cleanupOwner)) {
      return { ok: false, reason: `signed off by ${by}, but the cleanup owner is ${options.cleanupOwner}` };
    }
    return { ok: true, evidence: { seq: entry.seq, kind: 'aftercare_signoff', text: body, at: entry.recorded_at, by } };
  }
  if (item.signoff_of)
    return { ok: false, reason: 'a sign-off item needs an aftercare_signoff by the cleanup owner, not evidence' };
  const at = time(p, 'evidence_at');
  if (at === undefined) return { ok: false, reason: 'evidence_at is missing or not a time' };
  if (at > Math.max(now, Date.parse(entry.recorded_at))) return { ok: false, reason: 'evidence_at is in the future' };
  const sha = text(p, 'file_sha256');
  if (sha !== undefined && !SHA256_HEX.test(sha))
    return { ok: false, reason: 'file_sha256 is not 64 lowercase hex characters' };
  if (item.evidence.file === 'required' && sha === undefined)
    return { ok: false, reason: 'this step needs the attached file (its SHA-256)' };
  const evidence: AcceptedEvidence = {
    seq: entry.seq,
    kind: 'aftercare_evidence',
    text: body,
    at: new Date(at).toISOString(),
  };
  if (sha) evidence.file_sha256 = sha;
  const fileName = text(p, 'file_name');
  if (fileName) evidence.file_name = fileName;
  return { ok: true, evidence };
}

/** Which item an entry speaks about: its item_id, or for an untargeted sign-off the sign-off item. */
function targetOf(entry: JournalEntry, items: readonly ChecklistItem[]): string | undefined {
  const id = text(entry.payload, 'item_id');
  if (id) return id;
  if (entry.kind === 'aftercare_signoff') return items.find((i) => i.signoff_of)?.id;
  return undefined;
}

/**
 * Where each after-care step stands at `now`. Pure: evidence comes from the journal entries
 * (`aftercare_evidence`, `aftercare_signoff`; other kinds are ignored), times are given.
 */
export function checklistStatus(
  items: readonly ChecklistItem[],
  evidenceEntries: readonly JournalEntry[],
  clockStart: Date | string,
  now: Date | string,
  options: ChecklistOptions = {},
): ChecklistStatus {
  const start = toMs(clockStart, 'clock start');
  const nowMs = toMs(now, 'now');
  const relevant = evidenceEntries.filter((e) => e.kind === 'aftercare_evidence' || e.kind === 'aftercare_signoff');

  const firstPass = items.map((item) => {
    const evidence: AcceptedEvidence[] = [];
    const rejected: Array<{ seq: number; reason: string }> = [];
    for (const entry of relevant) {
      if (targetOf(entry, items) !== item.id) continue;
      const verdict = judge(entry, item, nowMs, options);
      if (verdict.ok) evidence.push(verdict.evidence);
      else rejected.push({ seq: entry.seq, reason: verdict.reason });
    }
    return { item, evidence, rejected };
  });
  const evidenced = new Set(firstPass.filter((r) => r.evidence.length > 0).map((r) => r.item.id));

  const statuses: ItemStatus[] = firstPass.map(({ item, evidence, rejected }) => {
    let opens = start + item.window.opens_after_minutes * MINUTE;
    let due = start + item.window.due_after_minutes * MINUTE;
    // "Verify the session expired" cannot be done before the expiry: with a TTL longer than its
    // window, the window moves to the expiry (same length), so it is never overdue by construction.
    const expiry = item.after_session_expiry && options.sessionExpiry ? Date.parse(options.sessionExpiry) : NaN;
    if (expiry > opens) {
      due += expiry - opens;
      opens = expiry;
    }
    const waitingFor = (item.signoff_of ?? []).filter((id) => !evidenced.has(id));
    const done = evidence.length > 0 && waitingFor.length === 0;
    const state: ItemState = done ? 'done' : nowMs > due ? 'overdue' : nowMs < opens ? 'not-yet' : 'due';
    const firstAt = evidence.length > 0 ? Math.min(...evidence.map((e) => Date.parse(e.at))) : undefined;
    return {
      id: item.id,
      title: item.title,
      runbook: item.runbook,
      window: item.window.label,
      state,
      opens_at: new Date(opens).toISOString(),
      due_at: new Date(due).toISOString(),
      late: done && firstAt !== undefined && firstAt > due,
      evidence,
      rejected,
      waiting_for: waitingFor,
    };
  });

  const count = (s: ItemState) => statuses.filter((i) => i.state === s).length;
  const open = statuses
    .filter((i) => i.state !== 'done')
    .map((i) => i.due_at)
    .sort();
  return {
    items: statuses,
    summary: {
      total: statuses.length,
      done: count('done'),
      due: count('due'),
      overdue: count('overdue'),
      not_yet: count('not-yet'),
      complete: statuses.every((i) => i.state === 'done'),
      next_due_at: open[0] ?? null,
    },
  };
}
