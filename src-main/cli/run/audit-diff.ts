import { auditDiff, isClean, type AuditDiffReport } from '../../sync/audit-diff';
import { openCliEnds } from '../open-sync-ends';
import { EXIT_ATTENTION, EXIT_OK, UserError, type CliCommand, type CliIo } from '../command';
import type { Refusal } from '../../../src-shared/result';

/** `breakglass audit-diff`, loaded on demand by its definition in commands/audit-diff.ts. */
export async function runAuditDiff(
  { values }: { values: Record<string, unknown> },
  io: CliIo,
  auditDiffCommand: CliCommand,
): Promise<number | Refusal> {
  const { journal, log } = openCliEnds(values, io.env, auditDiffCommand, { readonly: true });
  try {
    const ceremonyIds = Array.isArray(values.ceremony)
      ? values.ceremony.filter((c): c is string => typeof c === 'string' && c.length > 0)
      : undefined;
    if (ceremonyIds) {
      const known = new Set(journal.ceremonies().map((c) => c.ceremony_id));
      const unknown = ceremonyIds.filter((c) => !known.has(c));
      if (unknown.length > 0) throw new UserError(`no ceremony ${unknown.join(', ')} in this journal`);
    }
    const diffed = await auditDiff({
      journal,
      collection: log.collection,
      where: log.where,
      redact: log.redact,
      ...(ceremonyIds ? { ceremonyIds } : {}),
    });
    // A server it cannot read is its refusal's exit code (attention: nothing is lost, run again).
    if (!diffed.ok) return diffed.error;
    const report: AuditDiffReport = diffed.value;
    if (values.json === true) io.out(JSON.stringify({ clean: isClean(report), ...report }, null, 2));
    else
      for (const line of renderReport(report, `${log.where} ${log.collection.dbName}.${log.collection.collectionName}`))
        io.out(line);
    return isClean(report) ? EXIT_OK : EXIT_ATTENTION;
  } finally {
    journal.close();
    await log.close();
  }
}

function renderReport(r: AuditDiffReport, where: string): string[] {
  const ceremonies = `${r.ceremonies.length} ${r.ceremonies.length === 1 ? 'ceremony' : 'ceremonies'}`;
  const lines = [`${r.checked} journal entries in ${ceremonies} compared with ${where}: ${r.matching} match`];
  for (const c of r.ceremonies)
    lines.push(
      `  ${c.ceremony_id}: ${c.entries} entries, local chain ${c.chain_ok ? 'ok' : `BROKEN (${c.chain_problem})`}`,
    );
  const pending = r.missing.filter((m) => m.pending).length;
  if (r.missing.length > 0) {
    lines.push(
      `missing (${r.missing.length}${pending > 0 ? `, ${pending} not yet synced: run \`breakglass sync\`` : ''}):`,
    );
    for (const m of r.missing) lines.push(`  ${m.id}  ${m.kind}${m.pending ? '  (pending)' : ''}`);
  }
  if (r.extra.length > 0) {
    lines.push(`extra (${r.extra.length}): in the collection, not in the journal:`);
    for (const e of r.extra) lines.push(`  ${e.id}  ${e.action}`);
  }
  if (r.different.length > 0) {
    lines.push(`different (${r.different.length}):`);
    for (const d of r.different) lines.push(`  ${d.id}  differs in ${d.fields.join(', ')}`);
  }
  if (r.unmappable.length > 0) {
    lines.push(`cannot be turned into rows (${r.unmappable.length}):`);
    for (const u of r.unmappable) lines.push(`  ${u.id}  ${u.reason}`);
  }
  const clean = isClean(r);
  lines.push(
    clean
      ? 'clean: every journal entry is in the collection exactly once, as the journal says.'
      : 'NOT clean: see above.',
  );
  return lines;
}
