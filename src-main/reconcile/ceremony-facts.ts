import type { JsonObject } from '../../src-shared/canonical-json';
import type { Bundle, JournalEntry } from '../../src-shared/journal/types';
import { ReconcileInputError } from './input-error';
import { declaredCalls } from './declared-calls';

/** CloudTrail's clock and the operator's typing are not in step; the runbook-free margin is 5 minutes. */
export const WINDOW_MARGIN_MINUTES = 5;

export interface DeclaredAction {
  /** seq of the action_logged entry */
  seq: number;
  text: string;
  logged_at: string;
  service: string;
  operation: string;
  iam_action: string;
  event_source: string;
  read_only: boolean;
  /** Resource names the command gives (`--instance-ids`, `--role-name`, `s3://bucket`): CloudTrail must show them. */
  resources: string[];
  /** `--region` on the line; without it the profile's region, which the journal does not know. */
  region?: string;
  /** `aws s3 sync`/`--recursive`: one command, any number of calls of this operation. */
  many: boolean;
}

export interface CeremonyFacts {
  ceremony_id: string;
  type: 'root-login' | 'breakglass-role';
  drill: boolean;
  account_id: string;
  /** Who CloudTrail should show: `arn:aws:iam::<acct>:root` or `arn:aws:sts::<acct>:assumed-role/<role>/` (prefix). */
  principal: { kind: 'root' | 'assumed-role'; arn: string; roleArn?: string };
  window: { start: string; end: string; basis: string };
  /** breakglass-role: when the credentials expired (calls after it are a renewed session). */
  expiration?: string;
  declared: DeclaredAction[];
  warnings: string[];
}

const latest = (entries: readonly JournalEntry[], kind: string) => [...entries].reverse().find((e) => e.kind === kind);
const str = (o: JsonObject | undefined, k: string) => (o && typeof o[k] === 'string' ? (o[k] as string) : undefined);
const obj = (o: JsonObject | undefined, k: string) => {
  const v = o?.[k];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
};

function timeOf(file: string, entry: JournalEntry, key: string): number {
  const v = str(entry.payload, key);
  const t = v === undefined ? NaN : Date.parse(v);
  if (Number.isNaN(t))
    throw new ReconcileInputError(file, `journal seq ${entry.seq} (${entry.kind}) has no valid ${key}`);
  return t;
}

/** arn:aws:iam::123456789012:role/path/breakglass-emergency -> partition, account, role name (the path is not in the session ARN). */
function parseRoleArn(arn: string): { partition: string; account: string; roleName: string } | undefined {
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
  return m ? { partition: m[1] as string, account: m[2] as string, roleName: m[3] as string } : undefined;
}

/**
 * Reads from the journal who the session was and when: the principal CloudTrail must show and
 * the window (sign-in or session start minus 5 min, to sign-out or expiry plus 5 min).
 */
export function ceremonyFacts(bundle: Bundle, file: string): CeremonyFacts {
  const e = bundle.entries;
  const started = e.find((x) => x.kind === 'ceremony_started');
  if (!started) throw new ReconcileInputError(file, 'the bundle has no ceremony_started entry');
  const type = started.payload.type === 'breakglass-role' ? 'breakglass-role' : 'root-login';
  const warnings: string[] = [];
  const margin = WINDOW_MARGIN_MINUTES * 60_000;
  const iso = (t: number) => new Date(t).toISOString();

  const declared = e.filter((x) => x.kind === 'action_logged').flatMap(declaredCalls);

  if (type === 'breakglass-role') {
    const session = latest(e, 'role_session_started');
    if (!session)
      throw new ReconcileInputError(
        file,
        'the breakglass-role ceremony has no role_session_started entry: no principal and no window to reconcile',
      );
    const roleArn = str(session.payload, 'role_arn') ?? '';
    const role = parseRoleArn(roleArn);
    if (!role)
      throw new ReconcileInputError(file, `journal seq ${session.seq}: role_arn "${roleArn}" is not an IAM role ARN`);
    const start = timeOf(file, session, 'session_started_at');
    const expiry = timeOf(file, session, 'expiration');
    const out = latest(e, 'signed_out');
    // The credentials work until they expire, whatever the operator clicked.
    const end = Math.max(expiry, out ? timeOf(file, out, 'signed_out_at') : expiry);
    return {
      ceremony_id: bundle.ceremony_id,
      type,
      drill: bundle.drill,
      account_id: role.account,
      principal: {
        kind: 'assumed-role',
        arn: `arn:${role.partition}:sts::${role.account}:assumed-role/${role.roleName}/`,
        roleArn,
      },
      window: {
        start: iso(start - margin),
        end: iso(end + margin),
        basis: 'role session start - 5 min to credential expiration + 5 min',
      },
      expiration: iso(expiry),
      declared,
      warnings,
    };
  }

  const account = latest(e, 'account_selected');
  const accountId = str(obj(account?.payload, 'account'), 'account_id');
  if (!account || !accountId || !/^\d{12}$/.test(accountId))
    throw new ReconcileInputError(
      file,
      'the root-login ceremony has no account_selected entry with a 12-digit account_id',
    );
  const signedIn = latest(e, 'signed_in');
  if (!signedIn)
    throw new ReconcileInputError(
      file,
      'the root-login ceremony has no signed_in entry: there is no session window to reconcile',
    );
  const start = timeOf(file, signedIn, 'signed_in_at');
  const out = latest(e, 'signed_out');
  let end: number;
  let basis = 'sign-in - 5 min to sign-out + 5 min';
  if (out) end = timeOf(file, out, 'signed_out_at');
  else {
    // No sign-out: close the window at the last thing the journal knows, and say so.
    end = Math.max(start, ...e.map((x) => Date.parse(x.recorded_at)).filter((t) => !Number.isNaN(t)));
    basis = 'sign-in - 5 min to the last journal entry + 5 min (no sign-out recorded)';
    warnings.push(
      `no sign-out in the journal: the window ends at the last journal entry (${iso(end)}); root activity after that is not examined`,
    );
  }
  const partition = 'aws';
  return {
    ceremony_id: bundle.ceremony_id,
    type,
    drill: bundle.drill,
    account_id: accountId,
    principal: { kind: 'root', arn: `arn:${partition}:iam::${accountId}:root` },
    window: { start: iso(start - margin), end: iso(end + margin), basis },
    declared,
    warnings,
  };
}
