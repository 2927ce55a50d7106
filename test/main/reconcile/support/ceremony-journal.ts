import { builtInConfig } from '../../../../src-shared/config/example-config';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectAntiPatterns, parseAwsCliLine } from '../../../../src-shared/aws/parse-cli-line';
import type { JsonObject } from '../../../../src-shared/canonical-json';
import { exportCeremony } from '../../../../src-main/use-cases/export-ceremony';
import { openJournal, type Journal } from '../../../../src-main/journal/journal';
import { writeFileSync } from 'node:fs';
import { listEnrolledKeys, saveEnrolledKey } from '../../../../src-main/hardware-key/enrolment/enrolment-store';
import { trustFileText } from '../../../../src-main/evidence/trust-file';
import { readTrustFile } from '../../../../src-main/evidence/read-evidence';
import { verifiedBundleFromFile } from '../../../../src-main/evidence/verified-bundle';
import { witnessFromSignature } from '../../../../src-shared/ceremony/witness-code';
import type { Checkpoint } from '../../../../src-shared/journal/types';
import { createSoftwareKey, lockStep, type SoftwareKey } from '../../../support/software-key';
import { valueOf } from '../../../support/unwrap-handlers';

export interface Step {
  at: string;
  kind: string;
  payload: JsonObject;
}

export const PROD = '039624954211';
export const ROLE_ARN = `arn:aws:iam::${PROD}:role/breakglass-emergency`;

/** An action_logged payload exactly as the ceremony writes it: parsed with the real parser. */
export function action(at: string, text: string): Step {
  const parsed = parseAwsCliLine(text);
  return {
    at,
    kind: 'action_logged',
    payload: {
      text,
      logged_at: at,
      parsed: parsed as unknown as JsonObject[],
      warnings: detectAntiPatterns(text, parsed),
    },
  };
}

const operator = { id: 'taha@example.com', name: 'Taha' };

/** The root login of the CloudTrail fixtures: Production, signed in 13:02, out 13:40 on 2026-05-20. */
export function rootLoginSteps(options: { drill?: boolean; day?: string } = {}): Step[] {
  const d = options.day ?? '2026-05-20';
  const t = (hms: string) => `${d}T${hms}.000Z`;
  return [
    {
      at: t('12:55:00'),
      kind: 'ceremony_started',
      payload: {
        type: 'root-login',
        drill: options.drill ?? false,
        operator,
        app_version: '0.1.0',
        config_source: 'test',
      },
    },
    {
      at: t('12:56:00'),
      kind: 'scenario_selected',
      payload: {
        scenario_id: 'sso-down',
        evidence: {
          idp: 'aws-identity-center',
          region: 'us-east-1',
          error_text: 'Identity Center sign-in returns 503 for 20 minutes',
          last_good_sso_login_at: '2026-05-20T12:30:00.000Z',
          incident_ref: 'INC-2026-05-20-001',
        },
        reason: 'SEV-0: orders pods crash-loop on an IRSA trust policy; SSO is down',
      },
    },
    {
      at: t('12:57:00'),
      kind: 'sso_probe',
      payload: {
        profile: 'prod-admin',
        region: 'us-east-1',
        endpoint: 'https://portal.sso.us-east-1.amazonaws.com',
        attempted_at: t('12:57:00'),
        outcome: 'sso_unavailable',
        error_name: 'ServiceUnavailableException',
      },
    },
    {
      at: t('13:00:00'),
      kind: 'account_selected',
      payload: {
        account: {
          name: 'Production',
          account_id: PROD,
          principal: 'AWS account root user (member-account email)',
          credential_location: "Taha's password manager + offline backup",
        },
      },
    },
    {
      at: t('13:02:00'),
      kind: 'signed_in',
      payload: { signed_in_at: t('13:02:00'), ip_address: '203.0.113.7', user_agent: 'Mozilla/5.0 Safari/17.5' },
    },
    {
      at: t('13:03:00'),
      kind: 'audit_row_written',
      payload: {
        row: {
          timestamp: t('13:03:00'),
          actor_id: operator.id,
          actor_role: 'break_glass_root',
          action: 'break_glass_root_login',
          resource_type: 'aws_account',
          resource_id: PROD,
          ip_address: '203.0.113.7',
          user_agent: 'Mozilla/5.0 Safari/17.5',
          result: 'success',
          metadata: {
            reason: 'SSO down, IRSA fix',
            incident_channel: 'https://chat.google.com/room/INC-1',
            expected_session_duration_minutes: 30,
          },
        },
      },
    },
    action(t('13:05:10'), '13:05 ran: aws ec2 describe-instances --filters Name=tag:app,Values=orders'),
    action(t('13:08:05'), '13:08 ran: aws ec2 terminate-instances --instance-ids i-0abc1234def567890'),
    action(
      t('13:12:00'),
      '13:12 ran: aws iam create-policy --policy-name emergency-irsa --policy-document file://emergency.json',
    ),
    action(t('13:15:00'), '13:15 ran: kubectl --kubeconfig /tmp/k.cfg get pods -A'),
    action(
      t('13:20:30'),
      `13:20 ran: aws iam attach-role-policy --role-name orders-irsa --policy-arn arn:aws:iam::${PROD}:policy/emergency-irsa`,
    ),
    action(
      t('13:21:50'),
      '13:21 ran: aws lambda update-function-code --function-name orders-reconciler --zip-file fileb://fix.zip',
    ),
    {
      at: t('13:30:00'),
      kind: 'minimal_action_done',
      payload: { summary: 'Terminated the wedged orders worker and attached a temporary IRSA policy' },
    },
    { at: t('13:40:00'), kind: 'signed_out', payload: { signed_out_at: t('13:40:00'), duration_minutes: 38 } },
  ];
}

/** The breakglass-emergency role session of role-session.json: 13:00:05 to 14:00:05. */
export function roleSteps(): Step[] {
  const t = (hms: string) => `2026-05-20T${hms}.000Z`;
  return [
    {
      at: t('12:58:00'),
      kind: 'ceremony_started',
      payload: { type: 'breakglass-role', drill: false, operator, app_version: '0.1.0', config_source: 'test' },
    },
    {
      at: t('12:59:00'),
      kind: 'scenario_selected',
      payload: {
        scenario_id: 'p0-role',
        evidence: {
          incident_ref: 'INC-2026-05-20-001',
          blocker: 'standard platform role lacks iam:UpdateAssumeRolePolicy on IRSA roles',
          approver: 'alice@example.com',
          cleanup_owner: 'bob@example.com',
        },
        reason: 'P0: the standard platform-engineer role lacks iam:UpdateAssumeRolePolicy',
      },
    },
    {
      at: t('13:00:10'),
      kind: 'role_session_started',
      payload: {
        role_arn: ROLE_ARN,
        approver: 'carol@example.com',
        cleanup_owner: 'bob@example.com',
        session_started_at: t('13:00:05'),
        expiration: t('14:00:05'),
        source: 'vault',
      },
    },
    action(t('13:03:50'), 'ran: aws ec2 describe-instances'),
    action(t('13:05:55'), 'ran: aws ec2 terminate-instances --instance-ids i-0abc1234def567890'),
    { at: t('13:20:00'), kind: 'minimal_action_done', payload: { summary: 'Terminated the wedged node' } },
    { at: t('13:21:00'), kind: 'signed_out', payload: { signed_out_at: t('13:21:00'), duration_minutes: 21 } },
  ];
}

/** Appends steps to a real journal, each at its own recorded time. */
export function writeSteps(journal: Journal, clock: { now: string }, ceremonyId: string, steps: readonly Step[]): void {
  for (const s of steps) {
    clock.now = s.at;
    journal.append(ceremonyId, s.kind, s.payload);
  }
}

export function openTestJournal(dataDir: string) {
  const clock = { now: '2026-05-20T12:00:00.000Z' };
  const journal = openJournal({ dataDir, clock: () => new Date(clock.now) });
  return { journal, clock };
}

/**
 * Writes the ceremony to a fresh journal in `dir`, signed the way the app signs it, and exports
 * its bundle; returns the bundle path. The steps say what happened; the locks the runbook requires
 * (scenario, notify with the founders' witness code, sign-in or role session, audit row,
 * sign-out, and the closing seal) are inserted where the ceremony service would have asked for
 * them, each signed by a software P-256 key (marked virtual for a drill), and a running log that
 * says "did nothing" where the steps finish the minimal action without one. Its trusted-keys file is `dir/trusted-keys.json`.
 */
export function writeBundle(dir: string, ceremonyId: string, steps: readonly Step[]): string {
  const { journal, clock } = openTestJournal(path.join(dir, 'data'));
  try {
    // One key per directory (its trusted-keys file pins it), enrolled once in that journal.
    const key = keyOf(dir, steps[0]?.payload.drill === true);
    if (!listEnrolledKeys(journal.db).some((k) => k.credential_id === key.enrolled.credential_id))
      saveEnrolledKey(journal.db, key.enrolled);
    writeSignedSteps(journal, clock, ceremonyId, steps, key);
    writeFileSync(
      trustFileOf(dir),
      trustFileText([...keys.entries()].filter(([id]) => id.startsWith(`${dir}|`)).map(([, k]) => k.enrolled)),
    );
    return valueOf(
      exportCeremony({
        journal,
        ceremonyId,
        outDir: dir,
        keys: [key.enrolled],
        now: new Date('2026-05-21T09:00:00.000Z'),
        config: builtInConfig(),
      }),
    ).bundlePath;
  } finally {
    journal.close();
  }
}

const keys = new Map<string, SoftwareKey>();
function keyOf(dir: string, drill: boolean): SoftwareKey {
  const id = `${dir}|${drill}`;
  if (!keys.has(id)) keys.set(id, createSoftwareKey({ virtual: drill, label: drill ? 'backup' : 'primary' }));
  return keys.get(id)!;
}

export const trustFileOf = (dir: string) => path.join(dir, 'trusted-keys.json');

/** A written bundle as readers take it: through the evidence verifier, pinned to its own key. */
export function verifiedFixture(bundle: string) {
  return verifiedBundleFromFile(bundle, {
    trust: readTrustFile(trustFileOf(path.dirname(bundle))),
    config: builtInConfig(),
    now: new Date('2026-06-01T00:00:00.000Z'),
  });
}

const LOCK_AFTER: Record<string, string> = {
  scenario_selected: 'scenario',
  signed_in: 'sign_in',
  audit_row_written: 'audit_row',
  role_session_started: 'role_session',
  signed_out: 'sign_out',
};
const NEEDS_NOTIFY = new Set(['account_selected', 'signed_in', 'role_session_started']);

export function writeSignedSteps(
  journal: Journal,
  clock: { now: string },
  ceremonyId: string,
  steps: readonly Step[],
  key: SoftwareKey,
): void {
  let notified = false;
  let logged = false;
  let last: Checkpoint | null = null;
  const lock = (step: string) => {
    last = lockStep(journal, ceremonyId, step, key, new Date(clock.now));
  };
  for (const s of steps) {
    clock.now = s.at;
    if (NEEDS_NOTIFY.has(s.kind) && !notified) {
      const cp = last as Checkpoint | null;
      const code = cp ? witnessFromSignature({ seq: cp.seq, head_hash: cp.head_hash, signature: cp.signature })! : null;
      for (const f of [
        { id: 'asad', name: 'Asad' },
        { id: 'ian', name: 'Ian' },
      ]) {
        journal.append(ceremonyId, 'founder_notified', {
          contact_id: f.id,
          name: f.name,
          channel: 'text',
          notified_at: s.at,
          acknowledged: true,
          acknowledged_at: s.at,
          witness_code: code!.text,
          witness_seq: code!.seq,
          witness_head_hash: code!.head_hash,
          witness_from: 'signature',
        });
      }
      lock('notify');
      notified = true;
    }
    // The service refuses to finish the minimal action with an empty running log: log "did nothing".
    if (s.kind === 'minimal_action_done' && !logged)
      journal.append(ceremonyId, 'action_logged', {
        text: 'did nothing: the fixture ceremony',
        logged_at: s.at,
        parsed: [],
        warnings: [],
      });
    logged ||= s.kind === 'action_logged';
    journal.append(ceremonyId, s.kind, s.payload);
    const step = LOCK_AFTER[s.kind];
    if (step) lock(step);
  }
  if (steps.some((s) => s.kind === 'signed_out' || s.kind === 'ceremony_aborted')) lock('seal');
}

// bench/ bundles this file as CommonJS, where import.meta.url is not set; it runs from the repo root.
const here =
  typeof import.meta.url === 'string'
    ? path.dirname(fileURLToPath(import.meta.url))
    : path.join(process.cwd(), 'test/main/reconcile/support');
export const fixture = (...parts: string[]) => path.join(here, '..', '..', '..', 'fixtures', ...parts);
