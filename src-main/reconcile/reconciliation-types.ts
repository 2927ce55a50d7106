import type { DeclaredAction } from './ceremony-facts';
import type { ArgoCdOutOfSync } from './argocd-apps';
import type { CleanupItem } from './side-effects';
import type { CreatedOutsideTerraform } from './terraform-coverage';
import type { TerraformDrift, TerraformInStateChange } from './terraform-plan';

export const RECONCILIATION_FORMAT = 'breakglass.reconciliation';

/** One CloudTrail event as the report shows it. */
export interface EventRef {
  eventId: string;
  eventTime: string;
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  principalArn: string;
  awsRegion?: string;
  errorCode?: string;
  sourceIPAddress?: string;
  /** Resource names CloudTrail attached (instance ids, role names, ...). */
  resources: string[];
  /** ConsoleLogin only: what CloudTrail says of the sign-in ("Success" or "Failure"). */
  consoleLogin?: string;
  /** The input file it came from. */
  file: string;
  /** True when that file's hash is in a digest whose signature and chain validated. */
  validated: boolean;
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

/** A check of the principal or the session shape that failed, with the events that show it. */
export interface NamedWarning {
  code: string;
  message: string;
  eventIds: string[];
}

export interface IntegrityReport {
  /** Digest files given and checked. */
  digests: Array<{ file: string; digestS3Object: string; signatureValid: boolean; problem?: string }>;
  /** CloudTrail input files whose content hash a validated digest lists. */
  validatedFiles: string[];
  problems: string[];
  eventsFromValidatedFiles: number;
  eventsInWindow: number;
}

export interface Reconciliation {
  format: typeof RECONCILIATION_FORMAT;
  format_version: 2;
  ceremony_id: string;
  ceremony_type: 'root-login' | 'breakglass-role';
  drill: boolean;
  account_id: string;
  principal: string;
  window: { start: string; end: string; basis: string };
  inputs: {
    bundle: { file: string; sha256: string };
    cloudtrail: Array<{
      file: string;
      sha256: string;
      format: string;
      gzip: boolean;
      events: number;
      truncated: boolean;
    }>;
    terraformPlan: { file: string; sha256: string } | null;
    argocd: { file: string; sha256: string; apps: number } | null;
  };
  /** Sign-in events of the session itself (ConsoleLogin, CheckMfa): expected, not declared. */
  session: EventRef[];
  /** Declared and carried out (successful call, or any call of a declared read). */
  matched: MatchedEvent[];
  /** Declared, and AWS refused it (errorCode): the declared action did not happen. */
  declaredButRefused: MatchedEvent[];
  unexpected: EventRef[];
  readOnly: ReadOnlyEvent[];
  declaredButMissing: DeclaredAction[];
  /** Declared data events (S3 objects, Lambda Invoke) absent from inputs that cannot hold them. */
  declaredNotVerifiable: DeclaredAction[];
  /** Every side effect that outlives the session, declared or not, with its cleanup command. */
  cleanup: CleanupItem[];
  /** Kept for the counts the app and quarterly review read; `cleanup` is the full list. */
  iamUsersCreated: Array<{ userName: string; eventId: string; eventTime: string }>;
  accessKeysCreated: Array<{
    userName: string;
    accessKeyId: string;
    eventId: string;
    eventTime: string;
    rootKey: boolean;
  }>;
  rolesWithAttachedPolicies: Array<{ roleName: string; policyArn: string; eventId: string; eventTime: string }>;
  /** CloudTrail creates of the session that no Terraform state or plan address covers (Step 3b). */
  terraformOrphans: CreatedOutsideTerraform[];
  /** Plan deletes/replacements of managed resources: in state, so not orphans; the plan is not clean. */
  terraformInState: TerraformInStateChange[];
  terraformErrored: boolean;
  terraformDrift: TerraformDrift[];
  argocdOutOfSync: ArgoCdOutOfSync[];
  checks: NamedWarning[];
  integrity: IntegrityReport | null;
  ignored: { otherPrincipals: number; outsideWindow: number; duplicates: number };
  warnings: string[];
  /** Facts that are not findings (a drill's unknown sign-in address). */
  notes: string[];
  /** Plain-words reasons this needs a human; empty means exit 0. */
  needsAttention: string[];
}
