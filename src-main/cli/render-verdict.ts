import { printable } from '../fs/printable';
import type { EvidenceReport } from '../evidence/verify-evidence';
import { VERDICTS, type Finding, type Verdict } from '../evidence/verdict';
import { VERDICT_EXITS } from './verdict-exits';

const MAX_FINDINGS = 12;

/** What the CLI adds to a verdict's meaning: the flag that would change it. */
const VERDICT_FLAGS: Partial<Record<Verdict, string>> = { 'ORIGIN NOT VERIFIED': '--trusted-keys' };

/** A verdict's meaning as the CLI says it (help, verify, export), with the flag that answers it. */
export function verdictMeaning(verdict: Verdict): string {
  const flag = VERDICT_FLAGS[verdict];
  return `${VERDICTS[verdict].meaning}${flag ? ` (${flag})` : ''}`;
}

/** A finding's reason as the CLI says it: what to pass, where the finding's code says so. */
export function findingReason(f: Finding): string {
  if (f.code === 'keys-not-pinned') return `${f.reason}; pass the trusted-keys file from enrolment (--trusted-keys)`;
  return f.reason;
}

/**
 * What `breakglass verify` prints: the one-screen summary of a verdict. Every value that came from the file passes through
 * printable(), so no control character, escape sequence or bidi override reaches the terminal;
 * only signed data is printed as a fact, and unsigned entries are named as such.
 */
export function renderVerdict(r: EvidenceReport, context: { rulesSource: string }): string[] {
  const b = r.bundle;
  const p = (v: unknown) => printable(String(v ?? ''));
  const lines: string[] = [];
  lines.push(`${r.verdict}${r.drill && r.verdict !== 'DRILL INTACT' ? ' (DRILL)' : ''}: ${p(b.ceremony_id)}`);
  for (const f of r.findings.slice(0, MAX_FINDINGS))
    lines.push(`  ${f.verdict.padEnd(12)} ${f.seq === null ? '' : `seq ${f.seq}: `}${p(findingReason(f))}`);
  if (r.findings.length > MAX_FINDINGS) lines.push(`  ...          ${r.findings.length - MAX_FINDINGS} more findings`);
  const s = r.state;
  if (s) {
    // "No AWS credential used" is a claim only an intact drill (virtual key throughout) earns.
    const drillNote =
      r.verdict === 'DRILL INTACT'
        ? ', DRILL (virtual key, no AWS credential used)'
        : r.drill
          ? ', labelled a drill (not verified as one)'
          : '';
    lines.push(`  type         ${s.type}${drillNote}`);
    if (s.linked_ceremony_id)
      lines.push(`  renewal of   ${p(s.linked_ceremony_id)} (a new ceremony, not an extension)`);
    if (s.aborted) lines.push(`  ABORTED      seq ${s.aborted.seq}: ${p(s.aborted.reason)}`);
    lines.push(`  operator     ${p(s.operator.name)} <${p(s.operator.id)}>`);
    if (s.account) lines.push(`  account      ${p(s.account.name)} (${p(s.account.account_id)})`);
  }
  const first = b.entries[0];
  const last = b.entries.at(-1);
  lines.push(
    `  entries      ${b.entries.length} (head seq ${b.head.seq}), recorded ${p(first?.recorded_at)} .. ${p(last?.recorded_at)} by the laptop's clock`,
  );
  lines.push(`  head         ${p(b.head.hash)}`);
  if (r.unsigned)
    lines.push(`  UNSIGNED     seq ${r.unsigned.from}..${r.unsigned.to}: after the last key tap, not evidence`);
  lines.push(
    `  checkpoints  ${r.checkpoints.length}${r.checkpoints.length ? `: ${r.checkpoints.map((c) => `${c.step} (${c.presence})`).join(', ')}` : ''}`,
  );
  for (const k of r.keys) {
    const signed = r.checkpoints.filter((c) => c.credential_id === k.credential_id).map((c) => c.step);
    lines.push(
      `  key          ${p(k.label)} ${p(k.credential_id.slice(0, 16))}… (${p(k.operator)}${k.pinned ? ', pinned' : ', unpinned claim'}): ${k.authenticator}; signed ${signed.length ? signed.join(', ') : 'nothing here'}`,
    );
  }
  if (r.keys.some((k) => k.kind === 'virtual'))
    lines.push('  NOTE         checkpoints signed by a VIRTUAL key are drill evidence, not hardware evidence');
  const w = r.witnesses;
  if (w.notify)
    lines.push(
      `  witness      before sign-in: "${p(w.notify.text)}"${w.notify.from === 'head' ? ' (format 1: derived from a hash, does not resist the key holder)' : ''}`,
    );
  if (w.final) lines.push(`  witness      at sign-out:    "${p(w.final.text)}"`);
  if (w.checked.length)
    lines.push(
      `  witnesses    ${w.checked.filter((c) => c.matched).length} of ${w.checked.length} written codes match`,
    );
  else if (!r.drill)
    lines.push('  witnesses    not checked: pass the codes the founders wrote down with --witness "CODE"');
  lines.push(
    `  keys pinned  ${r.pinned ? `yes, fingerprint "${r.pinned.fingerprint}"` : 'no: keys are taken from the bundle itself; pin them with --trusted-keys'}`,
  );
  lines.push(`  rules        checked against ${p(context.rulesSource)}`);
  lines.push(`  verdict      ${r.verdict}: ${verdictMeaning(r.verdict)} (exit ${VERDICT_EXITS[r.verdict]})`);
  return lines;
}
