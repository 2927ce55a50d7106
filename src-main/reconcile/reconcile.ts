import { isDataEvent } from '../../src-shared/aws/event-names';
import type { Bundle } from '../../src-shared/journal/types';
import type { ArgoCdResult } from './argocd-apps';
import { ceremonyFacts } from './ceremony-facts';
import type { CloudTrailFile, TrailEvent } from './cloudtrail-events';
import type { DigestValidation } from './digest-validation';
import { nested, param } from './event-strings';
import { matchDeclarations } from './match-declarations';
import { principalChecks } from './principal-checks';
import { attentionOf } from './reconcile-attention';
import { RECONCILIATION_FORMAT, type EventRef, type Reconciliation } from './reconciliation-types';
import { selectEvents } from './select-events';
import { sideEffectOf } from './side-effects';
import { createdResource, isCreate } from './terraform-coverage';
import type { TerraformPlanResult } from './terraform-plan';

export interface ReconcileInputs {
  bundle: Bundle;
  bundleFile: { file: string; sha256: string };
  /** The evidence verifier's verdict on the bundle; anything short of intact needs attention. */
  evidence?: { verdict: string; findings: string[] };
  cloudtrail: CloudTrailFile[];
  terraformPlan?: TerraformPlanResult;
  argocd?: ArgoCdResult;
  /** Result of checking CloudTrail digest files, when any were given. */
  integrity?: DigestValidation;
}

/**
 * Lines the CloudTrail events of the ceremony's principal inside its window up against what the
 * journal says was done. Pure over parsed inputs: reading files is read-inputs.ts's job.
 */
export function reconcile(inputs: ReconcileInputs): Reconciliation {
  const facts = ceremonyFacts(inputs.bundle, inputs.bundleFile.file);
  const warnings = [...facts.warnings];
  const notes: string[] = [];
  const lookupPages = inputs.cloudtrail.reduce((n, f) => n + f.pages, 0);
  const pagesWithNext = inputs.cloudtrail.reduce((n, f) => n + f.pagesWithNextToken, 0);
  // Pages given together are one answer: only when no page is the last one are events missing.
  if (lookupPages > 0 && pagesWithNext === lookupPages) {
    warnings.push(
      `every lookup-events page given (${inputs.cloudtrail
        .filter((f) => f.pages > 0)
        .map((f) => f.file)
        .join(', ')}) carries a NextToken, so the last page is missing; fetch the remaining pages`,
    );
  }
  const validatedFiles = new Set(inputs.integrity?.validatedFiles ?? []);
  const all = inputs.cloudtrail.flatMap((f) => f.events);
  const sel = selectEvents(all, facts);
  const checks = principalChecks(inputs.bundle, facts, sel, notes);

  const ref = (e: TrailEvent): EventRef => {
    const r: EventRef = {
      eventId: e.eventId,
      eventTime: e.eventTime,
      eventSource: e.eventSource,
      eventName: e.eventName,
      readOnly: e.readOnly,
      principalArn: e.identity.arn,
      resources: e.resources,
      file: e.file,
      validated: validatedFiles.has(e.file),
    };
    if (e.awsRegion) r.awsRegion = e.awsRegion;
    if (e.errorCode) r.errorCode = e.errorCode;
    if (e.sourceIPAddress) r.sourceIPAddress = e.sourceIPAddress;
    if (e.eventName === 'ConsoleLogin') {
      const c = param(nested(e.detail(), 'responseElements'), 'ConsoleLogin');
      if (c) r.consoleLogin = c;
    }
    return r;
  };

  const result: Reconciliation = {
    format: RECONCILIATION_FORMAT,
    format_version: 2,
    ceremony_id: facts.ceremony_id,
    ceremony_type: facts.type,
    drill: facts.drill,
    account_id: facts.account_id,
    principal: facts.principal.kind === 'root' ? facts.principal.arn : `${facts.principal.arn}*`,
    window: facts.window,
    inputs: {
      bundle: inputs.bundleFile,
      cloudtrail: inputs.cloudtrail.map((f) => ({
        file: f.file,
        sha256: f.sha256,
        format: f.format,
        gzip: f.gzip,
        events: f.events.length,
        truncated: f.pagesWithNextToken > 0,
      })),
      terraformPlan: inputs.terraformPlan
        ? { file: inputs.terraformPlan.file, sha256: inputs.terraformPlan.sha256 }
        : null,
      argocd: inputs.argocd
        ? { file: inputs.argocd.file, sha256: inputs.argocd.sha256, apps: inputs.argocd.apps }
        : null,
    },
    session: [],
    matched: [],
    declaredButRefused: [],
    unexpected: [],
    readOnly: [],
    declaredButMissing: [],
    declaredNotVerifiable: [],
    cleanup: [],
    iamUsersCreated: [],
    accessKeysCreated: [],
    rolesWithAttachedPolicies: [],
    terraformOrphans: [],
    terraformInState: inputs.terraformPlan?.inState ?? [],
    terraformErrored: inputs.terraformPlan?.errored ?? false,
    terraformDrift: inputs.terraformPlan?.drift ?? [],
    argocdOutOfSync: inputs.argocd?.outOfSync ?? [],
    checks,
    integrity: null,
    ignored: sel.ignored,
    warnings,
    notes,
    needsAttention: [],
  };

  const calls = sel.inWindow.filter((e) => e.eventSource !== 'signin.amazonaws.com');
  const { declaredFor, confirmed } = matchDeclarations(facts.declared, calls);
  const root = facts.principal.kind === 'root';
  for (const e of sel.inWindow) {
    const r = ref(e);
    if (e.eventSource === 'signin.amazonaws.com') {
      result.session.push(r);
      continue;
    }
    const d = declaredFor.get(e);
    if (d && e.errorCode && !confirmedBySuccess(d, declaredFor))
      result.declaredButRefused.push({ ...r, declaredSeq: d.seq, declaredText: d.text });
    else if (d) result.matched.push({ ...r, declaredSeq: d.seq, declaredText: d.text });
    else if (!e.readOnly) result.unexpected.push(r);
    if (e.readOnly) result.readOnly.push({ ...r, declared: d !== undefined });
    const item = sideEffectOf(e, root && !e.identity.sessionIssuerArn);
    if (item) {
      result.cleanup.push(d ? { ...item, declaredSeq: d.seq } : item);
      legacyLists(e, item.eventName, result, root);
    } else if (isCreate(e)) {
      const c = createdResource(e, inputs.terraformPlan?.known);
      if (c) result.terraformOrphans.push(d ? { ...c, declaredSeq: d.seq } : c);
    }
  }
  const onlyLookup = inputs.cloudtrail.every((f) => f.format === 'lookup-events');
  for (const d of facts.declared) {
    if (confirmed.has(d)) continue;
    // Event history never holds data events; a trail holds them only if it selects them.
    if (isDataEvent(d.event_source, d.operation)) result.declaredNotVerifiable.push(d);
    else result.declaredButMissing.push(d);
  }
  if (result.declaredNotVerifiable.length) {
    notes.push(
      `${result.declaredNotVerifiable.length} declared data-event call(s) (${result.declaredNotVerifiable.map((d) => d.iam_action).join(', ')}) cannot be checked ${onlyLookup ? "from lookup-events, which holds management events only; give the trail's S3 log files if the trail records data events" : 'from these files: the trail does not show them (does it record data events?)'}`,
    );
  }
  if (inputs.integrity) {
    const unvalidated = sel.inWindow.filter((e) => !validatedFiles.has(e.file));
    const problems = [...inputs.integrity.problems];
    // Digests were asked for: a session event no validated file vouches for (lookup-events output
    // included) is not certified, whatever the files say.
    if (unvalidated.length)
      problems.push(
        `${unvalidated.length} of the session's ${sel.inWindow.length} event(s) come from files no validated digest covers (${[...new Set(unvalidated.map((e) => e.file))].join(', ')})`,
      );
    result.integrity = {
      ...inputs.integrity,
      problems,
      eventsInWindow: sel.inWindow.length,
      eventsFromValidatedFiles: sel.inWindow.length - unvalidated.length,
    };
  }
  result.needsAttention = attentionOf(result);
  const ev = inputs.evidence;
  if (ev && ev.verdict !== 'INTACT' && ev.verdict !== 'DRILL INTACT') {
    result.needsAttention.unshift(
      `The bundle's evidence verdict is ${ev.verdict}, not INTACT: ${ev.findings.slice(0, 3).join('; ')}`,
    );
  }
  return result;
}

/** A declaration whose call succeeded is carried out even if an earlier attempt was refused. */
function confirmedBySuccess(d: object, declaredFor: Map<TrailEvent, object>): boolean {
  for (const [e, x] of declaredFor) if (x === d && !e.errorCode) return true;
  return false;
}

/** The three lists the app's counts and the quarterly review read (cleanup holds them all). */
function legacyLists(e: TrailEvent, name: string, out: Reconciliation, root: boolean): void {
  const d = e.detail();
  const req = nested(d, 'requestParameters');
  if (name === 'CreateUser')
    out.iamUsersCreated.push({
      userName: param(req, 'userName') || param(nested(nested(d, 'responseElements'), 'user'), 'userName'),
      eventId: e.eventId,
      eventTime: e.eventTime,
    });
  else if (name === 'CreateAccessKey') {
    const key = nested(nested(d, 'responseElements'), 'accessKey');
    const userName = param(req, 'userName') || param(key, 'userName');
    out.accessKeysCreated.push({
      userName: userName || (root ? 'root' : e.identity.arn),
      accessKeyId: param(key, 'accessKeyId'),
      eventId: e.eventId,
      eventTime: e.eventTime,
      rootKey: !userName && root,
    });
  } else if (name === 'AttachRolePolicy')
    out.rolesWithAttachedPolicies.push({
      roleName: param(req, 'roleName'),
      policyArn: param(req, 'policyArn'),
      eventId: e.eventId,
      eventTime: e.eventTime,
    });
}
