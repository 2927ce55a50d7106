import { ReconcileInputError } from './input-error';
import { isRecord, type JsonFile } from './read-json-file';

/** A managed resource the plan would destroy or replace: it IS in state, so not an orphan. */
export interface TerraformInStateChange {
  address: string;
  type: string;
  name: string;
  /** e.g. ["delete"], or ["delete","create"] for a replacement */
  actions: string[];
  /** Terraform's reason, e.g. delete_because_no_resource_config, replace_because_cannot_update. */
  reason?: string;
  /** The provider's id of the object (before.id), when the plan has it. */
  id?: string;
}

export interface TerraformDrift {
  address: string;
  actions: string[];
}

export interface TerraformPlanResult {
  file: string;
  sha256: string;
  /** `errored: true`: the plan stopped early and shows only part of the picture. */
  errored: boolean;
  inState: TerraformInStateChange[];
  /** resource_drift: objects changed outside Terraform since the last apply. */
  drift: TerraformDrift[];
  /**
   * Every id, ARN and name the state and plan know, with the last `/`- or `:`-segment of each,
   * so a CloudTrail create can be checked against it (terraform-coverage.ts).
   */
  known: Set<string>;
}

function actionsOf(change: unknown): string[] | undefined {
  if (!isRecord(change) || !Array.isArray(change.actions)) return undefined;
  return change.actions.filter((a): a is string => typeof a === 'string');
}

function collect(v: unknown, into: Set<string>): void {
  if (typeof v === 'string') {
    if (v.length === 0 || v.length > 2048) return;
    into.add(v);
    const tail = v.slice(Math.max(v.lastIndexOf('/'), v.lastIndexOf(':')) + 1);
    if (tail && tail !== v) into.add(tail);
  } else if (Array.isArray(v)) for (const x of v) collect(x, into);
  else if (isRecord(v)) for (const x of Object.values(v)) collect(x, into);
}

/**
 * Reads `terraform show -json <planfile>`. A plan only ever talks about resources in state or in
 * configuration: a "will be destroyed" line is a managed resource (left the configuration, or
 * replaced), never something the session created outside Terraform. Those are found the other
 * way round: CloudTrail creates whose ids the plan does not know (terraform-coverage.ts).
 */
export function parseTerraformPlan(input: JsonFile): TerraformPlanResult {
  const { file, json } = input;
  if (!isRecord(json) || typeof json.format_version !== 'string') {
    throw new ReconcileInputError(file, 'not `terraform show -json` output: no "format_version"');
  }
  if (!('resource_changes' in json) && !('planned_values' in json)) {
    const hint =
      'values' in json
        ? ' (this is `terraform show -json` of a state; give it the plan file: terraform plan -out=p.plan && terraform show -json p.plan)'
        : '';
    throw new ReconcileInputError(file, `not a Terraform plan: no "resource_changes" or "planned_values"${hint}`);
  }
  const changes = json.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new ReconcileInputError(file, '"resource_changes" is not an array');
  const inState: TerraformInStateChange[] = [];
  const known = new Set<string>();
  changes.forEach((rc, i) => {
    if (!isRecord(rc) || typeof rc.address !== 'string')
      throw new ReconcileInputError(file, `resource_changes[${i}] has no "address"`);
    const actions = actionsOf(rc.change);
    if (!actions)
      throw new ReconcileInputError(file, `resource_changes[${i}] (${rc.address}) has no "change.actions" array`);
    const before = isRecord(rc.change) && isRecord(rc.change.before) ? rc.change.before : undefined;
    collect(before, known);
    if (rc.mode === 'data' || !actions.includes('delete')) return;
    const c: TerraformInStateChange = {
      address: rc.address,
      type: String(rc.type ?? ''),
      name: String(rc.name ?? ''),
      actions,
    };
    if (typeof rc.action_reason === 'string') c.reason = rc.action_reason;
    if (before && typeof before.id === 'string') c.id = before.id;
    inState.push(c);
  });
  collect(json.prior_state, known);
  collect(json.planned_values, known);
  const drift: TerraformDrift[] = [];
  if (Array.isArray(json.resource_drift)) {
    for (const d of json.resource_drift) {
      const actions = isRecord(d) ? actionsOf(d.change) : undefined;
      if (isRecord(d) && typeof d.address === 'string' && actions && !actions.every((a) => a === 'no-op'))
        drift.push({ address: d.address, actions });
    }
  }
  return { file, sha256: input.sha256, errored: json.errored === true, inState, drift, known };
}
