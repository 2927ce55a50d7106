import { ceremonyChecklistStatus } from '../aftercare/ceremony-checklist';
import type { BreakglassConfig } from '../config/schema';
import type { JournalEntry } from '../journal/types';
import { ok, refused, type Refusal, type Result } from '../result';
import { allowedCommands } from './check-command';
import { validEntries, type Valid } from './derive-entries';
import { parseEntryPayload, type EntryKind } from './entry-kinds';
import { scenarioById } from './scenarios';
import type { CeremonyState, FounderView, StepView } from './state-types';
import { stepsFor, type StepId } from './steps';
import { computeTimer } from './timer';
import { witnessCode, witnessFromSignature, type WitnessCode } from './witness-code';

/** The founders to notify: the configured founders except the operator. */
export function foundersToNotify(config: BreakglassConfig, operatorId: string) {
  return config.founders.filter((f) => !f.email || f.email.toLowerCase() !== operatorId.toLowerCase());
}

/**
 * The whole ceremony view, derived from the journal alone (plus the configuration and the
 * clock). Nothing else is kept, so a restart lands exactly where the journal says. Entries that
 * do not start with a valid ceremony_started are no ceremony: refused as not-found.
 *
 * `plainLines`: the running-log lines the caller has already checked (derive-entries.ts).
 */
export function deriveCeremonyState(
  entries: readonly JournalEntry[],
  config: BreakglassConfig,
  now: Date,
  plainLines?: Uint8Array,
): Result<CeremonyState, Refusal<'not-found'>> {
  const first = entries[0];
  if (!first || first.kind !== 'ceremony_started')
    return refused('not-found', 'this journal has no ceremony_started entry at seq 0');
  const started = parseEntryPayload('ceremony_started', first.payload);
  if (!started.ok) return refused('not-found', `seq 0 is not a valid ceremony start: ${started.message}`);
  const start = started.value;
  const problems: string[] = [];
  const warnings: string[] = [];

  const { all, actions, bySeq } = validEntries(entries, problems, plainLines);

  // The first valid lock of each step counts; its checkpoint must sign the entry just before it.
  // Seals (closing taps before export) are not steps: a finished ceremony may be sealed again
  // after later after-care entries, never twice in a row.
  const locks = new Map<StepId, Valid<'step_locked'>>();
  const signedLocks: Array<Valid<'step_locked'>> = [];
  for (const l of all('step_locked')) {
    if (l.payload.checkpoint.seq !== l.seq - 1) {
      problems.push(
        `seq ${l.seq}: the lock of "${l.payload.step}" signs seq ${l.payload.checkpoint.seq}, not the entry before it`,
      );
      continue;
    }
    signedLocks.push(l);
    const step = l.payload.step;
    if (step === 'seal') {
      const before = bySeq.get(l.seq - 1);
      if (before?.kind === 'step_locked' && before.payload.step === 'seal')
        problems.push(`seq ${l.seq}: a seal right after a seal`);
      continue;
    }
    if (!locks.has(step)) locks.set(step, l);
    else problems.push(`seq ${l.seq}: "${step}" was already locked at seq ${locks.get(step)!.seq}`);
  }
  const seals = signedLocks.filter((l) => l.payload.step === 'seal');
  const lockSeq = (step: StepId) => locks.get(step)?.seq ?? Infinity;
  /** The latest entry of a kind recorded before its step locked: later ones are corrections that came too late. */
  const latestBefore = <K extends EntryKind>(kind: K, step: StepId): Valid<K> | undefined => {
    const list = all(kind);
    for (const late of list.filter((v) => v.seq > lockSeq(step)))
      problems.push(`seq ${late.seq}: ${kind} after the "${step}" step was locked is ignored`);
    return list.filter((v) => v.seq < lockSeq(step)).at(-1);
  };

  const scenarioEntry = latestBefore('scenario_selected', 'scenario');
  // Normally one probe; an inconclusive first one may be followed by one more (rules/probe-sso.ts).
  const probes = all('sso_probe');
  const probeEntry = probes.at(-1);
  const accountEntry = latestBefore('account_selected', 'sign_in');
  const signInEntry = latestBefore('signed_in', 'sign_in');
  const roleEntry = latestBefore('role_session_started', 'role_session');
  const auditEntry = all('audit_row_written')[0];
  const doneEntry = all('minimal_action_done')[0];
  const signInFailed = auditEntry?.payload.row.result === 'failure';
  const signOutEntry = latestBefore('signed_out', 'sign_out');
  const abortEntry = all('ceremony_aborted')[0];

  const notifications = all('founder_notified').filter((n) => n.seq < lockSeq('notify'));
  const founders: FounderView[] = foundersToNotify(config, start.operator.id).map((f) => {
    const n = notifications.filter((x) => x.payload.contact_id === f.id).at(-1);
    return {
      contact_id: f.id,
      name: f.name,
      channels: [...f.channels],
      phone: f.phone ?? null,
      notification: n
        ? {
            seq: n.seq,
            channel: n.payload.channel,
            notified_at: n.payload.notified_at,
            acknowledged: n.payload.acknowledged,
            acknowledged_at: n.payload.acknowledged_at ?? null,
            witness_code: n.payload.witness_code,
          }
        : null,
    };
  });

  const head = entries[entries.length - 1]!;
  const firstNotice = notifications[0];
  const notifyWitness = firstNotice ? recordedWitness(firstNotice.payload, signedLocks) : null;
  if (firstNotice && !notifyWitness)
    problems.push(
      `seq ${firstNotice.seq}: its witness code names no signed lock at seq ${firstNotice.payload.witness_seq}`,
    );
  const signOutLock = locks.get('sign_out');
  const finalWitness = signOutLock ? lockWitness(signOutLock, bySeq) : null;
  // What the operator reads out now: the code of the latest tap (format 1 journals: of the head).
  const lastLock = signedLocks.at(-1);
  const anchorWitness = lastLock?.payload.checkpoint.signature
    ? lockWitness(lastLock, bySeq)
    : witnessCode({ seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash });

  const scenarioDef = scenarioEntry ? scenarioById(scenarioEntry.payload.scenario_id) : undefined;
  // select_scenario refuses both (rules/select-scenario.ts); the schema alone admits any id, so a
  // history signed by a patched app would otherwise pass.
  for (const { seq, payload } of all('scenario_selected')) {
    const def = scenarioById(payload.scenario_id);
    if (!def) problems.push(`seq ${seq}: unknown scenario "${payload.scenario_id}"`);
    else if (def.ceremony_type !== start.type)
      problems.push(`seq ${seq}: "${def.title}" is a ${def.ceremony_type} scenario; this is a ${start.type} ceremony`);
  }
  const ssoWorkingBlocks =
    scenarioEntry?.payload.scenario_id === 'sso-down' && probeEntry?.payload.outcome === 'sso_working';
  if (probeEntry?.payload.outcome === 'sso_working') {
    warnings.push(
      ssoWorkingBlocks
        ? 'SSO works (the probe got a caller identity): the "SSO down" scenario cannot proceed. Use SSO; abort this ceremony.'
        : 'SSO works (the probe got a caller identity): make sure this scenario really needs root.',
    );
  }
  if (probeEntry?.payload.outcome === 'inconclusive') {
    const symptom = probeEntry.payload.error_message ?? probeEntry.payload.error_name ?? 'no answer either way';
    warnings.push(
      probes.length === 1
        ? `The SSO check was inconclusive (${symptom}): it did not show that SSO is down. If the cause is on this laptop (no SSO profile, an expired token: run aws sso login), fix it and check again, once. Otherwise go on only if SSO is really down; the session log will say SSO was not confirmed down.`
        : `The SSO check was inconclusive twice (${symptom}): SSO was not confirmed down. Go on only if it really is; the session log and the postmortem must say why.`,
    );
  }
  if (signInFailed) {
    warnings.push(
      `The root sign-in failed (${auditEntry!.payload.row.metadata.failure ?? 'recorded in the audit row'}): the audit row says result "failure". Sign out to close the attempt; a new attempt is a new ceremony.`,
    );
  }
  const unacknowledged = founders.filter((f) => f.notification && !f.notification.acknowledged).map((f) => f.name);
  if (unacknowledged.length > 0)
    warnings.push(
      `Not acknowledged yet: ${unacknowledged.join(', ')}. Keep trying; record the acknowledgement as a new entry.`,
    );

  // Indexed: an iterator per running-log line, 100,000 of them, is garbage the collector pays for.
  for (let j = 0; j < actions.length; j++) {
    const a = actions[j]!;
    const lineWarnings = a.payload.warnings;
    for (let k = 0; k < lineWarnings.length; k++) warnings.push(`seq ${a.seq}: ${lineWarnings[k]}`);
  }

  // Step status: what each step has recorded, in order.
  const type = start.type;
  const recorded: Record<StepId, { complete: boolean; missing: string }> = {
    scenario: { complete: !!scenarioEntry, missing: 'choose an authorised scenario and give its evidence' },
    sso_probe: {
      complete: !!probeEntry && !ssoWorkingBlocks,
      missing: probeEntry ? 'SSO works: the SSO-down scenario cannot proceed' : 'try SSO once',
    },
    // Told is not enough: a founder who never acknowledged may not know. The step locks once
    // every founder acknowledged (recorded as a new entry when the answer comes).
    notify: {
      complete: founders.length > 0 && founders.every((f) => f.notification?.acknowledged),
      missing: founders.some((f) => !f.notification)
        ? `notify ${
            founders
              .filter((f) => !f.notification)
              .map((f) => f.name)
              .join(' and ') || 'the founders'
          }`
        : `wait for ${founders
            .filter((f) => !f.notification?.acknowledged)
            .map((f) => f.name)
            .join(' and ')} to acknowledge, then record it`,
    },
    sign_in: {
      complete: !!accountEntry && !!signInEntry,
      missing: accountEntry ? 'record the console sign-in' : 'pick the account',
    },
    role_session: { complete: !!roleEntry, missing: 'record the role session start and credential expiration' },
    audit_row: { complete: !!auditEntry, missing: 'write the agent_audit_log row' },
    // A failed root sign-in (the audit row says so) leaves nothing to act on: the step is done.
    minimal_action: {
      complete: !!doneEntry || signInFailed,
      missing: 'log what you run; say when the minimal action is done',
    },
    sign_out: { complete: !!signOutEntry, missing: 'sign out and record it' },
  };
  const defs = stepsFor(type);
  let current: StepId | null = null;
  const steps: StepView[] = defs.map((d) => {
    const lock = locks.get(d.id);
    const rec = recorded[d.id];
    let status: StepView['status'];
    let detail: string | null = null;
    if (lock) status = 'locked';
    else if (current !== null) status = 'pending';
    else if (d.id === 'sso_probe' && ssoWorkingBlocks) {
      status = 'blocked';
      detail = rec.missing;
      current = d.id;
    } else if (rec.complete && !d.locks_with_tap) status = 'done';
    else {
      status = rec.complete ? 'done' : 'open';
      detail = rec.complete ? 'tap your key to lock this step' : rec.missing;
      current = d.id;
    }
    return {
      id: d.id,
      title: d.title,
      locks_with_tap: d.locks_with_tap,
      status,
      locked_seq: lock?.seq ?? null,
      detail,
    };
  });
  const aborted = abortEntry ? { seq: abortEntry.seq, reason: abortEntry.payload.reason, at: abortEntry.at } : null;
  const phase: CeremonyState['phase'] = aborted ? 'aborted' : signOutLock ? 'aftercare' : 'ceremony';
  if (aborted) current = null;

  const timer = computeTimer({
    type,
    now,
    signedInAt: signInEntry?.payload.signed_in_at,
    roleSession: roleEntry?.payload,
    expectedMinutes: auditEntry?.payload.row.metadata.expected_session_duration_minutes,
    signedOutAt: signOutEntry?.payload.signed_out_at,
  });
  if (timer?.message) warnings.push(timer.message);

  let aftercare: CeremonyState['aftercare'] = null;
  if (!aborted) {
    try {
      aftercare = ceremonyChecklistStatus(entries, now);
    } catch (error) {
      problems.push(`after-care status: ${(error as Error).message}`);
    }
  }

  const state: Omit<CeremonyState, 'allowed'> = {
    integrity: null,
    ceremony_id: first.ceremony_id,
    type,
    drill: start.drill,
    operator: start.operator,
    app_version: start.app_version,
    config_source: start.config_source,
    linked_ceremony_id: start.linked_ceremony_id ?? null,
    started_at: first.recorded_at,
    now: now.toISOString(),
    head: { seq: head.seq, hash: head.hash },
    entries: entries.length,
    phase,
    current_step: current,
    steps,
    scenario: scenarioEntry
      ? {
          seq: scenarioEntry.seq,
          scenario_id: scenarioEntry.payload.scenario_id,
          title: scenarioDef?.title ?? scenarioEntry.payload.scenario_id,
          evidence: scenarioEntry.payload.evidence,
          reason: scenarioEntry.payload.reason,
        }
      : null,
    sso_probe: probeEntry
      ? {
          seq: probeEntry.seq,
          profile: probeEntry.payload.profile,
          region: probeEntry.payload.region,
          endpoint: probeEntry.payload.endpoint,
          attempted_at: probeEntry.payload.attempted_at,
          outcome: probeEntry.payload.outcome,
          error_name: probeEntry.payload.error_name ?? null,
          error_message: probeEntry.payload.error_message ?? null,
          caller_arn: probeEntry.payload.caller_arn ?? null,
          attempts: probes.length,
        }
      : null,
    founders,
    accounts: config.accounts.map((a) => ({ ...a })),
    account: accountEntry ? { ...accountEntry.payload.account } : null,
    sign_in: signInEntry ? { seq: signInEntry.seq, ...signInEntry.payload } : null,
    role_session: roleEntry ? { seq: roleEntry.seq, ...roleEntry.payload } : null,
    configured_role: config.breakglass_role ? { ...config.breakglass_role } : null,
    audit_row: auditEntry ? { seq: auditEntry.seq, ...auditEntry.payload.row } : null,
    actions,
    minimal_action_summary: doneEntry?.payload.summary ?? null,
    sign_out: signOutEntry ? { seq: signOutEntry.seq, ...signOutEntry.payload } : null,
    timer,
    witness: { current: anchorWitness, notify: notifyWitness, final: finalWitness },
    seals: seals.map((l) => ({ seq: l.seq, signs_seq: l.payload.checkpoint.seq })),
    tap_failures: all('tap_failed').map((t) => ({
      seq: t.seq,
      step: t.payload.step,
      code: t.payload.code,
      reason: t.payload.reason,
      at: t.at,
    })),
    notes: all('note').map((n) => ({
      seq: n.seq,
      text: n.payload.text,
      refers_to_seq: n.payload.refers_to_seq ?? null,
      at: n.at,
    })),
    warnings,
    problems,
    aftercare,
    aborted,
  };
  return ok({ ...state, allowed: allowedCommands(state) });
}

/**
 * The code of one lock: from its signature when the lock recorded it, else (format 1) from the
 * head hash after the lock, which is what format-1 ceremonies read out.
 */
function lockWitness(lock: Valid<'step_locked'>, bySeq: ReadonlyMap<number, JournalEntry>): WitnessCode {
  const cp = lock.payload.checkpoint;
  const fromSignature = cp.signature
    ? witnessFromSignature({ seq: cp.seq, head_hash: cp.head_hash, signature: cp.signature })
    : null;
  return fromSignature ?? witnessCode({ seq: lock.seq, hash: bySeq.get(lock.seq)?.hash ?? cp.head_hash });
}

/** The code a founder_notified entry claims to have read out, recomputed from what it names. */
function recordedWitness(
  n: { witness_seq: number; witness_head_hash: string; witness_from?: 'signature' },
  signedLocks: ReadonlyArray<Valid<'step_locked'>>,
): WitnessCode | null {
  if (n.witness_from !== 'signature') return witnessCode({ seq: n.witness_seq, hash: n.witness_head_hash });
  const cp = signedLocks.find((l) => l.payload.checkpoint.seq === n.witness_seq)?.payload.checkpoint;
  if (!cp?.signature || cp.head_hash !== n.witness_head_hash) return null;
  return witnessFromSignature({ seq: cp.seq, head_hash: cp.head_hash, signature: cp.signature });
}
