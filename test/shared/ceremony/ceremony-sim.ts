import { createHash } from 'node:crypto';
import { canonicalize, type JsonObject } from '../../../src-shared/canonical-json';
import { decide, orderRefusal, type Decision } from '../../../src-shared/ceremony/check-command';
import type { CeremonyCommand } from '../../../src-shared/ceremony/commands';
import { deriveCeremonyState } from '../../../src-shared/ceremony/derive-state';
import type { CeremonyState } from '../../../src-shared/ceremony/state-types';
import type { CeremonyType, StepId } from '../../../src-shared/ceremony/steps';
import { EXAMPLE_CONFIG } from '../../../src-shared/config/example-config';
import { configSchema, type BreakglassConfig } from '../../../src-shared/config/schema';
import { GENESIS_PREV_HASH, type JournalEntry } from '../../../src-shared/journal/types';

export const CONFIG: BreakglassConfig = configSchema.parse(EXAMPLE_CONFIG);

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * An in-memory journal driven only through the pure decide(): what the service does, minus
 * SQLite and the key, so every ordering rule can be tested exhaustively and fast.
 */
export class CeremonySim {
  entries: JournalEntry[] = [];
  now: number;

  constructor(
    type: CeremonyType = 'root-login',
    options: { start?: string; linked?: string; config?: BreakglassConfig } = {},
  ) {
    this.now = Date.parse(options.start ?? '2026-05-20T13:00:00.000Z');
    this.config = options.config ?? CONFIG;
    this.append('ceremony_started', {
      type,
      drill: true,
      operator: { id: 'taha@example.com', name: 'Taha' },
      app_version: '0.1.0-test',
      config_source: 'test',
      ...(options.linked ? { linked_ceremony_id: options.linked } : {}),
    });
  }

  readonly config: BreakglassConfig;

  append(kind: string, payload: JsonObject): JournalEntry {
    const prev = this.entries.at(-1);
    const base = {
      ceremony_id: 'bg-sim-0001',
      seq: this.entries.length,
      kind,
      payload,
      recorded_at: new Date(this.now).toISOString(),
      prev_hash: prev?.hash ?? GENESIS_PREV_HASH,
    };
    const entry = { ...base, hash: sha(canonicalize(base)) };
    this.entries.push(entry);
    return entry;
  }

  state(): CeremonyState {
    const derived = deriveCeremonyState(this.entries, this.config, new Date(this.now));
    if (!derived.ok) throw new Error(derived.error.message);
    return derived.value;
  }

  tick(minutes: number): this {
    this.now += minutes * 60_000;
    return this;
  }

  iso(offsetMinutes = 0): string {
    return new Date(this.now + offsetMinutes * 60_000).toISOString();
  }

  run(command: CeremonyCommand): Decision {
    const d = decide(this.state(), command);
    if (d.ok) for (const e of d.value) this.append(e.kind, e.payload);
    return d;
  }

  /** Like run() but the test fails loudly if the command is refused. */
  must(command: CeremonyCommand): this {
    const d = this.run(command);
    if (!d.ok) throw new Error(`${command.name} refused: ${d.error.message}`);
    return this;
  }

  /** What the service does after a good tap: a step_locked entry signing the head before it. */
  lock(step: StepId): this {
    const refusal = orderRefusal(this.state(), 'lock_step', step);
    if (refusal) throw new Error(`lock ${step} refused: ${refusal.message}`);
    const head = this.entries.at(-1)!;
    this.append('step_locked', {
      step,
      checkpoint: {
        seq: head.seq,
        head_hash: head.hash,
        credential_id: 'test-credential',
        sign_count: head.seq,
        client_data_hash: sha(`${head.hash}${step}`),
      },
    });
    return this;
  }
}

export const SSO_DOWN_EVIDENCE = {
  idp: 'aws-identity-center',
  region: 'us-east-1',
  error_text: 'The IAM Identity Center portal returns HTTP 503 Service Unavailable',
  last_good_sso_login_at: '2026-05-20T08:15:00Z',
  incident_ref: 'INC-2026-05-20-001',
};
export const REASON = 'SSO outage during SEV-0 INC-2026-05-20-001; must scale down the runaway fleet';

export const P0_EVIDENCE = {
  incident_ref: 'INC-2026-05-20-002',
  blocker: 'standard platform role lacks iam:UpdateAssumeRolePolicy on IRSA roles',
  approver: '@alice',
  cleanup_owner: '@bob',
};

/** A root-login ceremony advanced to just before `until` (the steps before it all locked). */
export function rootCeremonyUntil(until: StepId | 'aftercare'): CeremonySim {
  const sim = new CeremonySim('root-login');
  const order: Array<StepId | 'aftercare'> = [
    'scenario',
    'sso_probe',
    'notify',
    'sign_in',
    'audit_row',
    'minimal_action',
    'sign_out',
    'aftercare',
  ];
  const steps: Record<Exclude<StepId, 'role_session'>, () => void> = {
    scenario: () =>
      sim
        .must({
          name: 'select_scenario',
          args: { scenario_id: 'sso-down', evidence: SSO_DOWN_EVIDENCE, reason: REASON },
        })
        .lock('scenario'),
    sso_probe: () => {
      sim.append('sso_probe', {
        profile: 'p',
        region: 'us-east-1',
        endpoint: 'https://sts.us-east-1.amazonaws.com',
        attempted_at: sim.iso(),
        outcome: 'sso_unavailable',
        error_name: 'CredentialsProviderError',
        error_message: 'SSO credentials: connect ECONNREFUSED',
      });
    },
    notify: () => {
      sim.tick(1).must({ name: 'notify_founder', args: { contact_id: 'asad', channel: 'call', acknowledged: true } });
      sim
        .must({ name: 'notify_founder', args: { contact_id: 'ian', channel: 'text', acknowledged: true } })
        .lock('notify');
    },
    sign_in: () => {
      sim.tick(2).must({ name: 'select_account', args: { account_name: 'Production' } });
      sim
        .must({ name: 'record_sign_in', args: { ip_address: '203.0.113.7', user_agent: 'Mozilla/5.0 (test)' } })
        .lock('sign_in');
    },
    audit_row: () =>
      sim
        .must({
          name: 'write_audit_row',
          args: { incident_channel: 'https://chat.google.com/room/AAA', expected_session_duration_minutes: 20 },
        })
        .lock('audit_row'),
    minimal_action: () => {
      sim
        .tick(3)
        .must({ name: 'log_action', args: { text: 'ran: aws ec2 terminate-instances --instance-ids i-0abc' } });
      sim.must({ name: 'finish_minimal_action', args: { summary: 'Terminated the runaway instance i-0abc' } });
    },
    sign_out: () => sim.tick(5).must({ name: 'record_sign_out', args: {} }).lock('sign_out'),
  };
  for (const step of order) {
    if (step === until) break;
    if (step !== 'aftercare' && step !== 'role_session') steps[step]();
  }
  return sim;
}
