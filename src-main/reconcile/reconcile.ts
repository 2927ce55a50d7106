import type { Bundle } from '../../src-shared/journal/types';
import type { ArgoCdResult } from './argocd-apps';
import { ceremonyFacts, type CeremonyFacts, type DeclaredAction } from './ceremony-facts';
import type { CloudTrailFile, TrailEvent } from './cloudtrail-events';
import { pairDeclarations } from './pair-declarations';
import { RECONCILIATION_FORMAT, type EventRef, type MatchedEvent, type Reconciliation } from './reconciliation-types';
import type { TerraformPlanResult } from './terraform-plan';

export interface ReconcileInputs {
  bundle: Bundle;
  bundleFile: { file: string; sha256: string };
  /** The evidence verifier's verdict on the bundle; anything short of intact needs attention. */
  evidence?: { verdict: string; findings: string[] };
  cloudtrail: CloudTrailFile[];
  terraformPlan?: TerraformPlanResult;
  argocd?: ArgoCdResult;
}

/** Lambda's CloudTrail names carry an API version (`UpdateFunctionCode20150331v2`); the CLI's do not. */
const eventKey = (source: string, name: string) => `${source}|${name.replace(/\d{8}(v\d+)?$/, '')}`;

function isPrincipal(event: TrailEvent, facts: CeremonyFacts): boolean {
  const id = event.identity;
  if (facts.principal.kind === 'root') return id.type === 'Root' && (id.accountId === facts.account_id || id.arn === facts.principal.arn);
  if (id.type !== 'AssumedRole') return false;
  return id.arn.startsWith(facts.principal.arn) || (facts.principal.roleArn !== undefined && id.sessionIssuerArn === facts.principal.roleArn);
}

function ref(e: TrailEvent): EventRef {
  const r: EventRef = {
    eventId: e.eventId,
    eventTime: e.eventTime,
    eventSource: e.eventSource,
    eventName: e.eventName,
    readOnly: e.readOnly,
    principalArn: e.identity.arn,
    resources: e.resources.map((x) => x.name).filter((n) => n.length > 0),
  };
  if (e.errorCode) r.errorCode = e.errorCode;
  if (e.sourceIPAddress) r.sourceIPAddress = e.sourceIPAddress;
  if (e.eventName === 'ConsoleLogin' && typeof e.responseElements.ConsoleLogin === 'string') r.consoleLogin = e.responseElements.ConsoleLogin;
  return r;
}

const param = (o: Record<string, unknown>, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
const nested = (o: Record<string, unknown>, k: string): Record<string, unknown> => {
  const v = o[k];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
};

/**
 * Lines the CloudTrail events of the ceremony's principal inside its window up against what the
 * journal says was done. Pure over parsed inputs: reading files is read-inputs.ts's job.
 */
export function reconcile(inputs: ReconcileInputs): Reconciliation {
  const facts = ceremonyFacts(inputs.bundle, inputs.bundleFile.file);
  const warnings = [...facts.warnings];
  const start = Date.parse(facts.window.start);
  const end = Date.parse(facts.window.end);

  const ignored = { otherPrincipals: 0, outsideWindow: 0, duplicates: 0 };
  const seen = new Set<string>();
  const events: TrailEvent[] = [];
  for (const f of inputs.cloudtrail) {
    if (f.truncated) warnings.push(`${f.file}: lookup-events returned a NextToken, so this file stops before the end; fetch the remaining pages`);
    for (const e of f.events) {
      if (seen.has(e.eventId)) {
        ignored.duplicates++;
        continue;
      }
      seen.add(e.eventId);
      if (!isPrincipal(e, facts)) ignored.otherPrincipals++;
      else if (Date.parse(e.eventTime) < start || Date.parse(e.eventTime) > end) ignored.outsideWindow++;
      else events.push(e);
    }
  }
  events.sort((a, b) => a.eventTime.localeCompare(b.eventTime) || a.eventId.localeCompare(b.eventId));

  const declaredByKey = new Map<string, DeclaredAction[]>();
  for (const d of facts.declared) {
    const k = eventKey(d.event_source, d.operation);
    declaredByKey.set(k, [...(declaredByKey.get(k) ?? []), d]);
  }

  const result: Reconciliation = {
    format: RECONCILIATION_FORMAT,
    format_version: 1,
    ceremony_id: facts.ceremony_id,
    ceremony_type: facts.type,
    drill: facts.drill,
    account_id: facts.account_id,
    principal: facts.principal.kind === 'root' ? facts.principal.arn : `${facts.principal.arn}*`,
    window: facts.window,
    inputs: {
      bundle: inputs.bundleFile,
      cloudtrail: inputs.cloudtrail.map((f) => ({ file: f.file, sha256: f.sha256, events: f.events.length, truncated: f.truncated })),
      terraformPlan: inputs.terraformPlan ? { file: inputs.terraformPlan.file, sha256: inputs.terraformPlan.sha256 } : null,
      argocd: inputs.argocd ? { file: inputs.argocd.file, sha256: inputs.argocd.sha256, apps: inputs.argocd.apps } : null,
    },
    session: [],
    matched: [],
    unexpected: [],
    readOnly: [],
    declaredButMissing: [],
    iamUsersCreated: [],
    accessKeysCreated: [],
    rolesWithAttachedPolicies: [],
    terraformOrphans: inputs.terraformPlan?.orphans ?? [],
    terraformDrift: inputs.terraformPlan?.drift ?? [],
    argocdOutOfSync: inputs.argocd?.outOfSync ?? [],
    ignored,
    warnings,
    needsAttention: [],
  };

  // Pair each operation's events with its declarations before walking the timeline.
  const keyOf = (e: TrailEvent) => eventKey(e.eventSource, e.eventName);
  const declaredFor = new Map<TrailEvent, DeclaredAction>();
  for (const [key, decl] of declaredByKey) {
    const same = events.filter((e) => e.eventSource !== 'signin.amazonaws.com' && keyOf(e) === key);
    pairDeclarations(decl, same.map((e) => e.eventTime)).forEach((d, i) => declaredFor.set(same[i] as TrailEvent, d));
  }

  const confirmed = new Set<DeclaredAction>();
  for (const e of events) {
    const r = ref(e);
    if (e.eventSource === 'signin.amazonaws.com') {
      result.session.push(r);
      continue;
    }
    const d = declaredFor.get(e);
    if (d) {
      confirmed.add(d);
      const m: MatchedEvent = { ...r, declaredSeq: d.seq, declaredText: d.text };
      result.matched.push(m);
    } else if (!e.readOnly) result.unexpected.push(r);
    if (e.readOnly) result.readOnly.push({ ...r, declared: d !== undefined });
    collectSideEffects(e, facts, result);
  }
  result.declaredButMissing = facts.declared.filter((d) => !confirmed.has(d));

  if (facts.principal.kind === 'root') checkSignIn(inputs.bundle, result);
  result.needsAttention = attentionOf(result);
  const ev = inputs.evidence;
  if (ev && ev.verdict !== 'INTACT' && ev.verdict !== 'DRILL INTACT') {
    result.needsAttention.unshift(`The bundle's evidence verdict is ${ev.verdict}, not INTACT: ${ev.findings.slice(0, 3).join('; ')}`);
  }
  return result;
}

/** Things the cleanup runbook makes you chase one by one (Steps 3d and 5); failed calls changed nothing. */
function collectSideEffects(e: TrailEvent, facts: CeremonyFacts, out: Reconciliation): void {
  if (e.eventSource !== 'iam.amazonaws.com' || e.errorCode) return;
  const req = e.requestParameters;
  if (e.eventName === 'CreateUser') {
    out.iamUsersCreated.push({ userName: param(req, 'userName') || param(nested(e.responseElements, 'user'), 'userName'), eventId: e.eventId, eventTime: e.eventTime });
  } else if (e.eventName === 'CreateAccessKey') {
    const key = nested(e.responseElements, 'accessKey');
    const userName = param(req, 'userName') || param(key, 'userName');
    // With no userName, the key belongs to the caller: for root that is a root access key.
    out.accessKeysCreated.push({
      userName: userName || (facts.principal.kind === 'root' ? 'root' : e.identity.arn),
      accessKeyId: param(key, 'accessKeyId'),
      eventId: e.eventId,
      eventTime: e.eventTime,
      rootKey: !userName && facts.principal.kind === 'root',
    });
  } else if (e.eventName === 'AttachRolePolicy') {
    out.rolesWithAttachedPolicies.push({ roleName: param(req, 'roleName'), policyArn: param(req, 'policyArn'), eventId: e.eventId, eventTime: e.eventTime });
  }
}

/** Root sign-in should appear in CloudTrail, from the address the journal and the audit row give. */
function checkSignIn(bundle: Bundle, out: Reconciliation): void {
  const logins = out.session.filter((s) => s.eventName === 'ConsoleLogin');
  if (logins.length === 0) {
    out.warnings.push('no root ConsoleLogin event in the window: the journal says a sign-in happened but CloudTrail does not show it (wrong account, region or time range?)');
    return;
  }
  // The audit row may say the sign-in failed (wrong password, MFA rejected): CloudTrail must agree,
  // and a failed attempt leaves no calls behind (the app logs none for it).
  const audit = [...bundle.entries].reverse().find((x) => x.kind === 'audit_row_written');
  const rowResult = (audit?.payload.row as { result?: unknown } | undefined)?.result;
  const succeeded = logins.filter((l) => l.consoleLogin === 'Success');
  if (rowResult === 'failure') {
    if (succeeded.length > 0) {
      out.warnings.push(`the audit row says the root sign-in failed, but CloudTrail shows a successful root ConsoleLogin at ${succeeded.map((l) => l.eventTime).join(', ')}: a console session existed`);
    }
    const calls = out.session.filter((x) => x.eventName !== 'ConsoleLogin').length + out.unexpected.length + out.readOnly.length + out.matched.length;
    if (calls > 0) out.warnings.push(`${calls} root call(s) in the window of a sign-in recorded as failed`);
  } else if (rowResult === 'success' && succeeded.length === 0 && logins.every((l) => l.consoleLogin === 'Failure')) {
    out.warnings.push('CloudTrail shows only failed root ConsoleLogin events, but the audit row says the sign-in succeeded');
  }
  const signedIn = [...bundle.entries].reverse().find((x) => x.kind === 'signed_in');
  const ip = signedIn && typeof signedIn.payload.ip_address === 'string' ? signedIn.payload.ip_address : undefined;
  if (ip && !logins.some((l) => l.sourceIPAddress === ip)) {
    out.warnings.push(`root ConsoleLogin came from ${logins.map((l) => l.sourceIPAddress ?? '?').join(', ')} but the journal records ${ip}`);
  }
}

function attentionOf(r: Reconciliation): string[] {
  const a: string[] = [];
  const n = (count: number, what: string) => {
    if (count > 0) a.push(`${count} ${what}`);
  };
  n(r.unexpected.length, 'mutating call(s) not declared in the journal');
  n(r.readOnly.length, 'read-only call(s): reconnaissance the postmortem must mention');
  n(r.declaredButMissing.length, 'declared action(s) with no CloudTrail event');
  n(r.iamUsersCreated.length, 'IAM user(s) created: delete or document (cleanup Step 3d)');
  n(r.accessKeysCreated.length, 'access key(s) created: delete or rotate');
  n(r.rolesWithAttachedPolicies.length, 'policy attachment(s) to roles: confirm detached (cleanup Step 5)');
  n(r.terraformOrphans.length, 'resource(s) outside Terraform: import or delete (cleanup Step 3b)');
  n(r.terraformDrift.length, 'resource(s) changed outside Terraform');
  n(r.argocdOutOfSync.length, 'Argo CD application(s) not Synced (cleanup Step 3c)');
  for (const w of r.warnings) a.push(w);
  return a;
}
