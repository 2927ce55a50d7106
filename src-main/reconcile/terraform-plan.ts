import { ReconcileInputError } from './input-error';
import { isRecord, type JsonFile } from './read-json-file';

export interface TerraformOrphan {
  address: string;
  type: string;
  name: string;
  /** e.g. ["delete"], or ["delete","create"] for a replacement */
  actions: string[];
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
  orphans: TerraformOrphan[];
  /** resource_drift: objects changed outside Terraform since the last apply. */
  drift: TerraformDrift[];
}

function actionsOf(change: unknown): string[] | undefined {
  if (!isRecord(change) || !Array.isArray(change.actions)) return undefined;
  return change.actions.filter((a): a is string => typeof a === 'string');
}

/**
 * Reads `terraform show -json <planfile>`. The cleanup runbook (Step 3b) treats every resource the
 * plan would destroy as something the session created or changed outside Terraform: an orphan to
 * import or delete. Only managed resources count; data sources are only ever read.
 */
export function parseTerraformPlan(input: JsonFile): TerraformPlanResult {
  const { file, json } = input;
  if (!isRecord(json) || typeof json.format_version !== 'string') {
    throw new ReconcileInputError(file, 'not `terraform show -json` output: no "format_version"');
  }
  if (!('resource_changes' in json) && !('planned_values' in json)) {
    const hint = 'values' in json ? ' (this is `terraform show -json` of a state; give it the plan file: terraform plan -out=p.plan && terraform show -json p.plan)' : '';
    throw new ReconcileInputError(file, `not a Terraform plan: no "resource_changes" or "planned_values"${hint}`);
  }
  const changes = json.resource_changes ?? [];
  if (!Array.isArray(changes)) throw new ReconcileInputError(file, '"resource_changes" is not an array');
  const orphans: TerraformOrphan[] = [];
  changes.forEach((rc, i) => {
    if (!isRecord(rc) || typeof rc.address !== 'string') throw new ReconcileInputError(file, `resource_changes[${i}] has no "address"`);
    const actions = actionsOf(rc.change);
    if (!actions) throw new ReconcileInputError(file, `resource_changes[${i}] (${rc.address}) has no "change.actions" array`);
    if (rc.mode === 'data' || !actions.includes('delete')) return;
    const orphan: TerraformOrphan = { address: rc.address, type: String(rc.type ?? ''), name: String(rc.name ?? ''), actions };
    const before = isRecord(rc.change) && isRecord(rc.change.before) ? rc.change.before : undefined;
    if (before && typeof before.id === 'string') orphan.id = before.id;
    orphans.push(orphan);
  });
  const drift: TerraformDrift[] = [];
  if (Array.isArray(json.resource_drift)) {
    for (const d of json.resource_drift) {
      const actions = isRecord(d) ? actionsOf(d.change) : undefined;
      if (isRecord(d) && typeof d.address === 'string' && actions && !actions.every((a) => a === 'no-op')) drift.push({ address: d.address, actions });
    }
  }
  return { file, sha256: input.sha256, orphans, drift };
}
