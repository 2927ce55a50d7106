import { witnessCode } from '../../src-shared/ceremony/witness-code';
import type { Bundle } from '../../src-shared/journal/types';
import type { BundleVerdict } from './verify-bundle';

/** The one-screen summary `breakglass verify` prints. */
export function formatVerdict(bundle: Bundle, verdict: BundleVerdict, options: { trustedKeys: boolean }): string[] {
  const first = bundle.entries[0];
  const last = bundle.entries[bundle.entries.length - 1];
  const started = first?.payload ?? {};
  const operator = started.operator as { id?: string; name?: string } | undefined;
  const account = [...bundle.entries].reverse().find((e) => e.kind === 'account_selected')?.payload.account as { name?: string; account_id?: string } | undefined;
  const lines: string[] = [];
  lines.push(verdict.ok ? `INTACT${bundle.drill ? ' (DRILL)' : ''}: ${bundle.ceremony_id}` : `NOT INTACT${bundle.drill ? ' (DRILL)' : ''}: ${bundle.ceremony_id}`);
  if (!verdict.ok && verdict.problem) lines.push(`  first bad entry: seq ${verdict.problem.seq}: ${verdict.problem.reason}`);
  lines.push(`  type         ${String(started.type ?? 'unknown')}${bundle.drill ? ', DRILL (virtual key, no AWS credential used)' : ''}`);
  if (typeof started.linked_ceremony_id === 'string') lines.push(`  renewal of   ${started.linked_ceremony_id} (a new ceremony, not an extension)`);
  const aborted = [...bundle.entries].reverse().find((e) => e.kind === 'ceremony_aborted');
  if (aborted) lines.push(`  ABORTED      ${aborted.recorded_at}: ${String(aborted.payload.reason ?? '')}`);
  if (operator) lines.push(`  operator     ${operator.name ?? ''} <${operator.id ?? ''}>`);
  if (account) lines.push(`  account      ${account.name ?? ''} (${account.account_id ?? ''})`);
  lines.push(`  entries      ${bundle.entries.length} (head seq ${bundle.head.seq}), ${first?.recorded_at ?? '?'} .. ${last?.recorded_at ?? '?'}`);
  lines.push(`  head         ${bundle.head.hash}`);
  const notified = bundle.entries.find((e) => e.kind === 'founder_notified' && typeof e.payload.witness_code === 'string');
  if (notified) lines.push(`  witness      before login: "${String(notified.payload.witness_code)}"`);
  const signOut = bundle.checkpoints.find((c) => c.step === 'sign_out');
  const finalLock = signOut ? bundle.entries[signOut.seq + 1] : undefined;
  if (finalLock) lines.push(`  witness      at sign-out:  "${witnessCode({ seq: finalLock.seq, hash: finalLock.hash }).text}" (compare with the founders' notes)`);
  const steps = verdict.checkpoints.map((c) => c.step).join(', ');
  lines.push(`  checkpoints  ${verdict.checkpoints.length} of ${bundle.checkpoints.length} verified${steps ? `: ${steps}` : ''}`);
  // Which key signed which checkpoint, so a bundle mixing a virtual and a hardware key says which steps are drill evidence.
  for (const k of verdict.keys) {
    const signed = verdict.checkpoints.filter((c) => c.credential_id === k.credential_id).map((c) => c.step);
    lines.push(`  key          ${k.label} ${k.credential_id.slice(0, 16)}… (${k.operator}): ${k.authenticator}; signed ${signed.length ? signed.join(', ') : 'nothing here'}`);
  }
  if (verdict.keys.some((k) => k.kind === 'virtual')) lines.push('  NOTE         checkpoints signed by a VIRTUAL key are drill evidence, not hardware evidence');
  lines.push(`  keys pinned  ${options.trustedKeys ? 'yes (--trusted-keys)' : 'no: keys are taken from the bundle itself; pin them with --trusted-keys'}`);
  return lines;
}
