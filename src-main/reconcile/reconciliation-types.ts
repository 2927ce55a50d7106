import type { DeclaredAction } from './ceremony-facts';
import type { ArgoCdOutOfSync } from './argocd-apps';
import type { TerraformDrift, TerraformOrphan } from './terraform-plan';

export const RECONCILIATION_FORMAT = 'breakglass.reconciliation';

/** One CloudTrail event as the report shows it. */
export interface EventRef {
  eventId: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  principalArn: string;
  errorCode?: string;
  sourceIPAddress?: string;
  /** Resource names CloudTrail attached (instance ids, role names, ...). */
  resources: string[];
  /** ConsoleLogin only: what CloudTrail says of the sign-in ("Success" or "Failure"). */
  consoleLogin?: string;
}

export interface MatchedEvent extends EventRef {
  /** The action_logged entry that declared it. */
  declaredSeq: number;
  declaredText: string;
}

export interface ReadOnlyEvent extends EventRef {
  /** Declared in the journal or not: reconnaissance either way, the postmortem mentions it. */
  declared: boolean;
}

export interface Reconciliation {
  format: typeof RECONCILIATION_FORMAT;
  format_version: 1;
  ceremony_id: string;
  ceremony_type: 'root-login' | 'breakglass-role';
  drill: boolean;
  account_id: string;
  principal: string;
  window: { start: string; end: string; basis: string };
  inputs: {
    bundle: { file: string; sha256: string };
    cloudtrail: Array<{ file: string; sha256: string; events: number; truncated: boolean }>;
    terraformPlan: { file: string; sha256: string } | null;
    argocd: { file: string; sha256: string; apps: number } | null;
  };
  /** Sign-in events of the session itself (ConsoleLogin, CheckMfa): expected, not declared. */
  session: EventRef[];
  matched: MatchedEvent[];
  unexpected: EventRef[];
  readOnly: ReadOnlyEvent[];
  declaredButMissing: DeclaredAction[];
  iamUsersCreated: Array<{ userName: string; eventId: string; eventTime: string }>;
  accessKeysCreated: Array<{ userName: string; accessKeyId: string; eventId: string; eventTime: string; rootKey: boolean }>;
  rolesWithAttachedPolicies: Array<{ roleName: string; policyArn: string; eventId: string; eventTime: string }>;
  terraformOrphans: TerraformOrphan[];
  terraformDrift: TerraformDrift[];
  argocdOutOfSync: ArgoCdOutOfSync[];
  ignored: { otherPrincipals: number; outsideWindow: number; duplicates: number };
  warnings: string[];
  /** Plain-words reasons this needs a human; empty means exit 0. */
  needsAttention: string[];
}
