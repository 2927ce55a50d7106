import { ReconcileInputError } from './input-error';
import { isRecord, type JsonFile } from './read-json-file';

export interface ArgoCdOutOfSync {
  name: string;
  namespace?: string;
  project?: string;
  /** OutOfSync, Unknown, or missing */
  syncStatus: string;
  healthStatus?: string;
}

export interface ArgoCdResult {
  file: string;
  sha256: string;
  apps: number;
  outOfSync: ArgoCdOutOfSync[];
}

/** Reads `argocd app list -o json`: every Application whose status.sync.status is not Synced (runbook Step 3c). */
export function parseArgoCdApps(input: JsonFile): ArgoCdResult {
  const { file } = input;
  // argocd prints `null` when there are no applications.
  const json = input.json === null ? [] : input.json;
  if (!Array.isArray(json))
    throw new ReconcileInputError(file, 'not `argocd app list -o json` output: expected a JSON array of Applications');
  const outOfSync: ArgoCdOutOfSync[] = [];
  json.forEach((app, i) => {
    if (!isRecord(app) || !isRecord(app.metadata) || typeof app.metadata.name !== 'string') {
      throw new ReconcileInputError(file, `[${i}] is not an Argo CD Application (no metadata.name)`);
    }
    const status = isRecord(app.status) ? app.status : {};
    const sync = isRecord(status.sync) && typeof status.sync.status === 'string' ? status.sync.status : 'missing';
    if (sync === 'Synced') return;
    const item: ArgoCdOutOfSync = { name: app.metadata.name, syncStatus: sync };
    if (typeof app.metadata.namespace === 'string') item.namespace = app.metadata.namespace;
    if (isRecord(app.spec) && typeof app.spec.project === 'string') item.project = app.spec.project;
    if (isRecord(status.health) && typeof status.health.status === 'string') item.healthStatus = status.health.status;
    outOfSync.push(item);
  });
  return { file, sha256: input.sha256, apps: json.length, outOfSync };
}
