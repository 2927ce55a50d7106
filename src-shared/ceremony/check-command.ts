import { checklistFor } from '../aftercare/ceremony-checklist';
import { detectAntiPatterns, parseAwsCliLine } from '../aws/parse-cli-line';
import type { JsonObject } from '../canonical-json';
import { formatPath } from '../config/format-issues';
import { parseAssumeRoleOutput } from './assume-role-output';
import { COMMAND_ARGS, type CeremonyCommand, type CommandName, type Refusal } from './commands';
import { parseEntryPayload, type EntryKind } from './entry-kinds';
import { evidenceTimeProblems, notAuthorisedMatch, scenarioById, type ScenarioId } from './scenarios';
import type { Allowed, CeremonyState } from './state-types';
import { stepDefinition, type LockStep, type StepId } from './steps';
import { isInFuture, meaningfulText, minutesBetween, normaliseIso, oneLine } from './text-rules';

export type PlannedEntry = { kind: EntryKind; payload: JsonObject };
export type Decision = { ok: true; entries: PlannedEntry[] } | { ok: false; refusal: Refusal };
type CoreState = Omit<CeremonyState, 'allowed'>;

import { findSecretInArguments } from '../security/secret-patterns';

const refuse = (code: Refusal['code'], message: string): { ok: false; refusal: Refusal } => ({ ok: false, refusal: { code, message } });

/** Validates raw (IPC/CLI) arguments of a command; the message names the field. */
export function parseCommand(name: string, args: unknown): { ok: true; command: CeremonyCommand } | { ok: false; refusal: Refusal } {
  if (!Object.hasOwn(COMMAND_ARGS, name)) return refuse('invalid-input', `unknown command "${name}"`);
  const parsed = COMMAND_ARGS[name as CommandName].safeParse(args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : formatPath(issue.path);
    return refuse('invalid-input', `${name}: ${where}: ${issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message}`);
  }
  const leak = findSecretInArguments(parsed.data, ['assume_role_output']);
  if (leak) {
    return refuse(
      'invalid-input',
      `${name}: ${leak.where.replace(/^args\./, '')} looks like it contains a secret (${leak.rule}). The journal is append-only and must never hold one: remove it and try again.`,
    );
  }
  return { ok: true, command: { name, args: parsed.data } as CeremonyCommand };
}

const stepStatus = (s: CoreState, id: StepId) => s.steps.find((x) => x.id === id);
const isLocked = (s: CoreState, id: StepId) => stepStatus(s, id)?.status === 'locked';
const hasStep = (s: CoreState, id: StepId) => s.steps.some((x) => x.id === id);

/**
 * Whether a command may run now, by order alone (its arguments are checked by decide()).
 * Every runbook ordering rule lives here, in plain words.
 */
export function orderRefusal(s: CoreState, name: Exclude<CommandName, 'start'>, lockStep?: LockStep): Refusal | undefined {
  const r = (code: Refusal['code'], message: string): Refusal => ({ code, message });
  if (name === 'add_note') return undefined;
  if (s.aborted && !(name === 'lock_step' && lockStep === 'seal')) return r('finished', `this ceremony was aborted at seq ${s.aborted.seq}; only notes can be added (and the closing seal)`);
  const root = s.type === 'root-login';
  const prereqNotify = () => {
    if (!isLocked(s, 'notify')) return r('out-of-order', 'Notify the founders and lock that step with a key tap first: signing in is impossible before the founders know.');
    return undefined;
  };
  const sessionOpen = () => {
    if (root && !isLocked(s, 'audit_row')) return r('out-of-order', 'Write the agent_audit_log row and lock it with a tap first: the audit row cannot be skipped.');
    if (!root && !isLocked(s, 'role_session')) return r('out-of-order', 'Record the role session (start and expiration) and lock it with a tap first.');
    if (s.sign_out) return r('finished', 'You have signed out; the session is over. Corrections are notes.');
    return undefined;
  };
  switch (name) {
    case 'select_scenario':
      if (isLocked(s, 'scenario')) return r('locked', 'The scenario step is locked. Corrections are notes now.');
      return undefined;
    case 'probe_sso':
      if (!root) return r('out-of-order', 'The breakglass-role ceremony has no SSO probe.');
      // "Try once": an inconclusive answer (a local problem such as an expired token) was not a
      // try of SSO itself, so it earns exactly one more, after the operator fixed the cause.
      if (s.sso_probe && !(s.sso_probe.outcome === 'inconclusive' && s.sso_probe.attempts === 1)) {
        return r('one-try', `SSO was already tried ${s.sso_probe.attempts === 1 ? 'once' : 'twice (the first was inconclusive)'} (${s.sso_probe.attempted_at}: ${s.sso_probe.outcome}). The runbook says: try once.`);
      }
      if (s.sso_probe && isLocked(s, 'notify')) return r('locked', 'The founders were notified on the SSO answer you had; the SSO check cannot be repeated now.');
      if (!isLocked(s, 'scenario')) return r('out-of-order', 'Choose the scenario and lock it with a tap first.');
      return undefined;
    case 'notify_founder':
      if (isLocked(s, 'notify')) return r('locked', 'The notify step is locked. Corrections are notes now.');
      if (!isLocked(s, 'scenario')) return r('out-of-order', 'Choose the scenario and lock it with a tap first.');
      if (root && !s.sso_probe) return r('out-of-order', 'Confirm SSO is unavailable first (one try).');
      if (root && stepStatus(s, 'sso_probe')?.status === 'blocked') {
        return r('not-authorised', 'SSO works: the "SSO down" scenario cannot proceed. Use the standard SSO path and abort this ceremony.');
      }
      return undefined;
    case 'select_account':
    case 'record_sign_in':
      if (!root) return r('out-of-order', 'The breakglass-role ceremony records a role session, not a root sign-in.');
      if (isLocked(s, 'sign_in')) return r('locked', 'The sign-in step is locked. Corrections are notes now.');
      if (prereqNotify()) return prereqNotify();
      if (name === 'record_sign_in' && !s.account) return r('out-of-order', 'Pick the account from the table first.');
      return undefined;
    case 'record_role_session':
      if (root) return r('out-of-order', 'Only the breakglass-role ceremony records a role session.');
      if (isLocked(s, 'role_session')) {
        return r('locked', 'This ceremony already has its role session. A renewal is a separate incident: start a new ceremony linked to this one, with its own justification and notification.');
      }
      return prereqNotify();
    case 'write_audit_row':
      if (!root) return r('out-of-order', 'The breakglass-role ceremony has no root audit row.');
      if (s.audit_row) return r(isLocked(s, 'audit_row') ? 'locked' : 'one-try', `The audit row is already written (seq ${s.audit_row.seq}); ${isLocked(s, 'audit_row') ? 'corrections are notes' : 'lock it with a tap'}.`);
      if (!isLocked(s, 'sign_in')) return r('out-of-order', 'Sign in to the console and lock the sign-in step with a tap first.');
      return undefined;
    case 'log_action':
    case 'finish_minimal_action': {
      const open = sessionOpen();
      if (open) return open;
      if (s.audit_row?.result === 'failure') return r('out-of-order', 'The root sign-in failed (recorded in the audit row): there is no session to act in. Sign out to close the attempt.');
      if (s.minimal_action_summary !== null) return r('finished', 'The minimal action is finished. Sign out now; add anything you forgot as a note.');
      // The running log is the definitive record (cleanup runbook, step 1): a summary with no log
      // line behind it would be the only account of the session. Doing nothing is logged too.
      if (name === 'finish_minimal_action' && s.actions.length === 0) {
        return r('out-of-order', 'Log what you ran or did first: the running log is the definitive record. If you did nothing, log that (e.g. "did nothing: SSO came back").');
      }
      return undefined;
    }
    case 'record_sign_out': {
      if (isLocked(s, 'sign_out')) return r('locked', 'The sign-out step is locked. Corrections are notes now.');
      if (root && !isLocked(s, 'audit_row')) return r('out-of-order', 'Sign-out before the audit row is refused: write the agent_audit_log row and lock it first; it is the evidence artifact.');
      if (!root && !isLocked(s, 'role_session')) return r('out-of-order', 'Record the role session first.');
      if (s.minimal_action_summary === null && s.audit_row?.result !== 'failure') return r('out-of-order', 'Say what the minimal action was (finish the minimal-action step) first.');
      return undefined;
    }
    case 'lock_step': {
      if (lockStep === 'seal') {
        if (!s.aborted && !s.sign_out) return r('out-of-order', 'Only a finished ceremony (signed out, or aborted) is sealed.');
        if (s.seals.at(-1)?.seq === s.head.seq) return r('locked', 'The ceremony is sealed up to its last entry; nothing new to seal.');
        if (s.phase === 'aftercare' || s.aborted) return undefined;
        return r('out-of-order', 'Lock the sign-out step with a tap first.');
      }
      const step = lockStep ?? s.current_step;
      if (!step) return r('finished', s.phase === 'aftercare' ? 'Every step is locked.' : 'Nothing to lock.');
      if (!hasStep(s, step)) return r('invalid-input', `the ${s.type} ceremony has no "${step}" step`);
      const def = stepDefinition(step);
      if (!def.locks_with_tap) return r('invalid-input', `the "${step}" step does not lock with a tap`);
      const view = stepStatus(s, step)!;
      if (view.status === 'locked') return r('locked', `"${def.title}" is already locked.`);
      if (view.status === 'pending') return r('out-of-order', `Finish "${s.steps.find((x) => x.status === 'open' || x.status === 'done' || x.status === 'blocked')?.title ?? 'the earlier steps'}" first.`);
      if (view.status === 'blocked') return r('not-authorised', view.detail ?? 'this step is blocked');
      if (view.status === 'open') return r('out-of-order', `Nothing to lock yet: ${view.detail}.`);
      return undefined;
    }
    case 'abort':
      if (s.sign_out) return r('finished', 'The session is over; there is nothing to abort. Add a note instead.');
      if (s.sign_in || s.role_session) return r('out-of-order', 'You are signed in: sign out (and record it) instead of aborting, so no privileged session is left open.');
      return undefined;
    case 'record_aftercare_evidence':
    case 'sign_off_aftercare':
      if (!s.aftercare) return r('out-of-order', s.type === 'root-login' ? 'After-care starts at sign-out.' : 'The cleanup clock starts at the role session start.');
      return undefined;
  }
}

export function allowedCommands(s: CoreState): CeremonyState['allowed'] {
  const names = Object.keys(COMMAND_ARGS).filter((n): n is Exclude<CommandName, 'start'> => n !== 'start');
  const out = {} as CeremonyState['allowed'];
  for (const n of names) {
    const refusal = orderRefusal(s, n);
    out[n] = refusal ? ({ ok: false, code: refusal.code, reason: refusal.message } satisfies Allowed) : { ok: true };
  }
  return out;
}

/** Whether a command may run now, order and arguments both: the one gate the service passes every command through. */
export function checkCommand(s: CoreState, command: CeremonyCommand): { ok: true } | { ok: false; refusal: Refusal } {
  const d = decide(s, command);
  return d.ok ? { ok: true } : d;
}

function check<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ message: string }> } } }, value: unknown): { ok: true; value: T } | { ok: false; message: string } {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, message: r.error.issues[0]?.message ?? 'invalid' };
}

const reasonRule = oneLine('reason', 10, 3, 300);
const actionRule = meaningfulText('action', 3, 1, 2000);
const summaryRule = meaningfulText('summary', 10, 2, 2000);
// One line each: both are pasted into single lines of the session log (and the audit row).
const failureRule = oneLine('sign-in failed: what happened', 5, 2, 500);
const returnRule = oneLine('expected return to normal', 3, 1, 300);
const noteRule = meaningfulText('note', 2, 1, 4000);
const abortRule = meaningfulText('abort reason', 5, 2, 1000);
const evidenceRule = meaningfulText('evidence', 5, 2, 4000);
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:]+$/i;

function plannedTime(given: string | undefined, s: CoreState, label: string): { ok: true; value: string } | { ok: false; message: string } {
  const now = new Date(s.now);
  if (given === undefined) return { ok: true, value: now.toISOString() };
  if (isInFuture(given, now)) return { ok: false, message: `${label}: this time is in the future` };
  if (Date.parse(given) < Date.parse(s.started_at) - 60 * 60_000) return { ok: false, message: `${label}: this time is before the ceremony started` };
  return { ok: true, value: normaliseIso(given) };
}

const entry = (kind: EntryKind, payload: Record<string, unknown>): Decision => {
  // Every planned payload passes its own journal schema: a bug here cannot write a bad entry.
  const clean = JSON.parse(JSON.stringify(payload)) as JsonObject;
  const v = parseEntryPayload(kind, clean);
  if (!v.ok) return refuse('invalid-input', v.message);
  return { ok: true, entries: [{ kind, payload: clean }] };
};

/**
 * The pure heart of the service: a command against the derived state gives either the entries to
 * append or a refusal. `probe_sso` and `lock_step` need I/O (STS, the key), so for them an
 * accepted decision has no entries and the service does the rest.
 */
export function decide(s: CoreState, command: CeremonyCommand): Decision {
  if (command.name === 'start') return refuse('invalid-input', 'start creates a new ceremony; it is not a command on an existing one');
  const order = orderRefusal(s, command.name, command.name === 'lock_step' ? command.args.step : undefined);
  if (order) return { ok: false, refusal: order };
  const now = new Date(s.now);
  switch (command.name) {
    case 'select_scenario': {
      const a = command.args;
      const def = scenarioById(a.scenario_id);
      if (!def) return refuse('invalid-input', `unknown scenario "${a.scenario_id}"; the authorised ones are: sso-down, mfa-lost, console-outage (root) and p0-role (role)`);
      if (def.ceremony_type !== s.type) return refuse('invalid-input', `"${def.title}" is a ${def.ceremony_type} scenario; this is a ${s.type} ceremony`);
      const ev = def.evidence.safeParse(a.evidence);
      if (!ev.success) {
        // Every problem at once: in a SEV-0 nobody should fix a form one refusal at a time.
        const where = ev.error.issues
          .map((issue) => (issue.code === 'unrecognized_keys' ? `unknown evidence field ${issue.keys.map((k) => `"${k}"`).join(', ')}` : `${formatPath(issue.path)}: ${issue.message}`))
          .join('; ');
        return refuse('invalid-input', `evidence for "${def.title}": ${where}`);
      }
      const evidence = ev.data as Record<string, string>;
      const times = evidenceTimeProblems(def.id as ScenarioId, evidence, now);
      if (times.length) return refuse('invalid-input', `evidence for "${def.title}": ${times.join('; ')}`);
      const reason = check(reasonRule, a.reason);
      if (!reason.ok) return refuse('invalid-input', reason.message);
      const nope = notAuthorisedMatch(`${reason.value} ${Object.values(evidence).join(' ')}`);
      if (nope) return refuse('not-authorised', `Not authorised: ${nope}.`);
      if (def.id === 'p0-role') {
        const same = (x: string) => [s.operator.id, s.operator.name].some((o) => o.toLowerCase() === x.trim().replace(/^@/, '').toLowerCase());
        if (same(evidence.approver!)) return refuse('not-authorised', 'approver: the approver must be someone other than the operator');
        if (s.linked_ceremony_id && !evidence.renewal_justification) {
          return refuse('invalid-input', `renewal justification: this ceremony renews ${s.linked_ceremony_id}; a renewal is a separate incident and needs its own justification`);
        }
        if (!s.linked_ceremony_id && evidence.renewal_justification) return refuse('invalid-input', 'renewal justification: only a renewal (a ceremony linked to an earlier one) has one');
      }
      for (const k of Object.keys(evidence)) if (/T\d/.test(evidence[k]!) && !Number.isNaN(Date.parse(evidence[k]!))) evidence[k] = normaliseIso(evidence[k]!);
      return entry('scenario_selected', { scenario_id: def.id, evidence, reason: reason.value });
    }
    case 'probe_sso':
      return { ok: true, entries: [] };
    case 'notify_founder': {
      const a = command.args;
      const f = s.founders.find((x) => x.contact_id === a.contact_id);
      if (!f) return refuse('not-found', `"${a.contact_id}" is not a founder to notify (${s.founders.map((x) => x.contact_id).join(', ')})`);
      if (!f.channels.includes(a.channel)) return refuse('invalid-input', `${f.name} is reached by ${f.channels.join(' or ')}, not ${a.channel}`);
      const at = plannedTime(a.notified_at, s, 'notified at');
      if (!at.ok) return refuse('invalid-input', at.message);
      if (!a.acknowledged && a.acknowledged_at) return refuse('invalid-input', 'acknowledged at: given, but acknowledged is false');
      let ackAt: string | undefined;
      if (a.acknowledged) {
        const t = plannedTime(a.acknowledged_at, s, 'acknowledged at');
        if (!t.ok) return refuse('invalid-input', t.message);
        if (Date.parse(t.value) < Date.parse(at.value)) return refuse('invalid-input', 'acknowledged at: before the notification');
        ackAt = t.value;
      }
      // Every founder writes down the same code: the head when the first one was told.
      const anchor = s.witness.notify ?? s.witness.current;
      return entry('founder_notified', {
        contact_id: f.contact_id,
        name: f.name,
        channel: a.channel,
        notified_at: at.value,
        acknowledged: a.acknowledged,
        acknowledged_at: ackAt,
        witness_code: anchor.text,
        witness_seq: anchor.seq,
        witness_head_hash: anchor.head_hash,
        witness_from: anchor.from === 'signature' ? 'signature' : undefined,
      });
    }
    case 'select_account': {
      const want = command.args.account_name.trim().toLowerCase();
      const account = s.accounts.find((x) => x.name.toLowerCase() === want || x.account_id === want);
      if (!account) return refuse('not-found', `no account "${command.args.account_name}" in the table (${s.accounts.map((x) => x.name).join(', ')})`);
      return entry('account_selected', { account: { name: account.name, account_id: account.account_id, principal: account.principal, credential_location: account.credential_location } });
    }
    case 'record_sign_in': {
      const a = command.args;
      const at = plannedTime(a.signed_in_at, s, 'signed in at');
      if (!at.ok) return refuse('invalid-input', at.message);
      const notifyLock = s.steps.find((x) => x.id === 'notify')?.locked_seq;
      const lastNotice = Math.max(...s.founders.map((f) => (f.notification ? Date.parse(f.notification.notified_at) : 0)));
      if (notifyLock !== null && Date.parse(at.value) < lastNotice) {
        return refuse('out-of-order', 'signed in at: before the founders were notified. The runbook requires notifying BEFORE invoking; if that is what happened, record it as a note and abort.');
      }
      const ip = (a.ip_address ?? '').trim() || 'unknown';
      if (ip !== 'unknown' && !IPV4.test(ip) && !(IPV6.test(ip) && ip.includes(':'))) return refuse('invalid-input', 'ip address: expected an IPv4 or IPv6 address, or "unknown"');
      const ua = (a.user_agent ?? '').trim() || 'unknown';
      return entry('signed_in', { signed_in_at: at.value, ip_address: ip, user_agent: ua });
    }
    case 'write_audit_row': {
      const a = command.args;
      const channel = a.incident_channel.trim();
      if (!/^https?:\/\/\S+$/.test(channel) && channel.toUpperCase() !== 'NA') {
        return refuse('invalid-input', 'incident channel: expected the incident chat link (https://...) or NA');
      }
      if (!s.account || !s.sign_in || !s.scenario) return refuse('out-of-order', 'the account, sign-in and scenario must be recorded first');
      let failure: string | undefined;
      if (a.sign_in_failed !== undefined) {
        const said = check(failureRule, a.sign_in_failed);
        if (!said.ok) return refuse('invalid-input', `${said.message} (e.g. "MFA rejected twice")`);
        failure = said.value;
      }
      return entry('audit_row_written', {
        row: {
          timestamp: now.toISOString(),
          actor_id: s.operator.id,
          actor_role: 'break_glass_root',
          action: 'break_glass_root_login',
          resource_type: 'aws_account',
          resource_id: s.account.account_id,
          ip_address: s.sign_in.ip_address,
          user_agent: s.sign_in.user_agent,
          result: failure ? 'failure' : 'success',
          metadata: {
            reason: s.scenario.reason,
            incident_channel: channel.toUpperCase() === 'NA' ? 'NA' : channel,
            expected_session_duration_minutes: a.expected_session_duration_minutes,
            ...(failure ? { failure } : {}),
          },
        },
      });
    }
    case 'record_role_session': {
      const a = command.args;
      let roleArn: string;
      let started: string;
      let expiration: string;
      if (a.source === 'sts') {
        const facts = parseAssumeRoleOutput(a.assume_role_output);
        if (!facts.ok) return refuse('invalid-input', `assume-role output: ${facts.message}`);
        roleArn = facts.value.role_arn;
        expiration = facts.value.expiration;
        const t = plannedTime(a.session_started_at, s, 'session started at');
        if (!t.ok) return refuse('invalid-input', t.message);
        started = t.value;
      } else {
        if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(a.role_arn)) return refuse('invalid-input', 'role arn: expected arn:aws:iam::<account>:role/<name>');
        roleArn = a.role_arn;
        const t = plannedTime(a.session_started_at, s, 'session started at');
        if (!t.ok) return refuse('invalid-input', t.message);
        started = t.value;
        expiration = normaliseIso(a.expiration);
      }
      const lifetime = minutesBetween(started, expiration);
      if (lifetime <= 0) return refuse('invalid-input', 'expiration: not after the session start (the credentials have already expired)');
      if (lifetime > 12 * 60) return refuse('invalid-input', 'expiration: more than 12 hours after the session start; that is not the time-limited breakglass role');
      if (s.configured_role) {
        const name = (arn: string) => `${arn.split(':')[4]}/${arn.split('/').at(-1)}`;
        if (name(roleArn) !== name(s.configured_role.role_arn)) {
          return refuse('not-authorised', `role: ${roleArn} is not the configured breakglass role ${s.configured_role.role_arn}`);
        }
      }
      const scenario = s.scenario?.evidence ?? {};
      return entry('role_session_started', {
        role_arn: roleArn,
        approver: scenario.approver ?? 'unknown',
        cleanup_owner: scenario.cleanup_owner ?? 'unknown',
        session_started_at: started,
        expiration,
        source: a.source,
      });
    }
    case 'log_action': {
      const text = check(actionRule, command.args.text);
      if (!text.ok) return refuse('invalid-input', text.message);
      const at = plannedTime(command.args.logged_at, s, 'logged at');
      if (!at.ok) return refuse('invalid-input', at.message);
      const parsed = parseAwsCliLine(text.value);
      const warnings = [...detectAntiPatterns(text.value, parsed)];
      if (s.type === 'root-login' && /\b(brows|look(ing)? around|poke around|just checking)/i.test(text.value)) {
        warnings.push('runbook: "Do not browse. Do not change unrelated settings." Perform only the minimum action required.');
      }
      return entry('action_logged', { text: text.value, logged_at: at.value, parsed, warnings });
    }
    case 'finish_minimal_action': {
      const summary = check(summaryRule, command.args.summary);
      if (!summary.ok) return refuse('invalid-input', summary.message);
      return entry('minimal_action_done', { summary: summary.value });
    }
    case 'record_sign_out': {
      const at = plannedTime(command.args.signed_out_at, s, 'signed out at');
      if (!at.ok) return refuse('invalid-input', at.message);
      const from = s.type === 'root-login' ? s.sign_in?.signed_in_at : s.role_session?.session_started_at;
      if (!from) return refuse('out-of-order', 'there is no session start to sign out of');
      const duration = minutesBetween(from, at.value);
      if (duration < 0) return refuse('invalid-input', 'signed out at: before the session started');
      let back: string | undefined;
      if (command.args.expected_return_to_normal !== undefined && command.args.expected_return_to_normal.trim() !== '') {
        const said = check(returnRule, command.args.expected_return_to_normal);
        if (!said.ok) return refuse('invalid-input', said.message);
        back = said.value;
      }
      return entry('signed_out', { signed_out_at: at.value, duration_minutes: Math.round(duration * 10) / 10, ...(back ? { expected_return_to_normal: back } : {}) });
    }
    case 'lock_step':
      return { ok: true, entries: [] };
    case 'add_note': {
      const text = check(noteRule, command.args.text);
      if (!text.ok) return refuse('invalid-input', text.message);
      const ref = command.args.refers_to_seq;
      if (ref !== undefined && ref > s.head.seq) return refuse('invalid-input', `refers to seq: there is no seq ${ref} yet (the head is ${s.head.seq})`);
      return entry('note', { text: text.value, refers_to_seq: ref });
    }
    case 'abort': {
      const reason = check(abortRule, command.args.reason);
      if (!reason.ok) return refuse('invalid-input', reason.message);
      return entry('ceremony_aborted', { reason: reason.value });
    }
    case 'record_aftercare_evidence': {
      const a = command.args;
      const item = checklistFor(s.type).find((i) => i.id === a.item_id);
      if (!item) return refuse('not-found', `no after-care item "${a.item_id}" (${checklistFor(s.type).map((i) => i.id).join(', ')})`);
      if (item.signoff_of) return refuse('invalid-input', `"${item.title}" is a sign-off: use sign_off_aftercare`);
      const text = check(evidenceRule, a.text);
      if (!text.ok) return refuse('invalid-input', text.message);
      const at = plannedTime(a.evidence_at, s, 'evidence at');
      if (!at.ok) return refuse('invalid-input', at.message);
      if (item.after_session_expiry && s.role_session) {
        // Both the claimed time and now: an expiry cannot be verified before it happened.
        const expires = Date.parse(s.role_session.expiration);
        if (now.getTime() < expires || Date.parse(at.value) < expires) {
          return refuse('out-of-order', `"${item.title}": the role session expires at ${s.role_session.expiration}; its expiry can be verified only after that`);
        }
      }
      if (a.file_name && !a.file_sha256) return refuse('invalid-input', 'file name: given without the file hash');
      if (item.evidence.file === 'required' && !a.file_sha256) return refuse('invalid-input', `"${item.title}" needs the attached file (its SHA-256)`);
      return entry('aftercare_evidence', { item_id: item.id, text: text.value, evidence_at: at.value, file_sha256: a.file_sha256, file_name: a.file_name });
    }
    case 'sign_off_aftercare': {
      const a = command.args;
      if (a.item_id && !checklistFor(s.type).some((i) => i.id === a.item_id)) return refuse('not-found', `no after-care item "${a.item_id}"`);
      const text = check(evidenceRule, a.text);
      if (!text.ok) return refuse('invalid-input', text.message);
      const by = a.by.trim();
      if (!by) return refuse('invalid-input', 'by: who signs off');
      if (s.role_session && by.replace(/^@/, '').toLowerCase() !== s.role_session.cleanup_owner.replace(/^@/, '').toLowerCase()) {
        return refuse('not-authorised', `by: only the cleanup owner (${s.role_session.cleanup_owner}) signs off`);
      }
      return entry('aftercare_signoff', { item_id: a.item_id, by, text: text.value });
    }
  }
}

