import * as z from 'zod';
import { formatPath } from '../../config/format-issues';
import { evidenceTimeProblems, notAuthorisedMatch, scenarioById, type ScenarioId } from '../scenarios';
import { normaliseIso, oneLine } from '../text-rules';
import { check, defineCommand, entry, isLocked, refusal, refuse, text } from './rule-kit';

const reasonRule = oneLine('reason', 10, 3, 300);

/** Step 1: an authorised scenario, its structured evidence and a one-line reason. */
export const selectScenario = defineCommand({
  args: z.strictObject({
    scenario_id: z.string().min(1),
    evidence: z.record(z.string(), text(2000)),
    reason: text(300),
  }),
  order(s) {
    if (isLocked(s, 'scenario')) return refusal('locked', 'The scenario step is locked. Corrections are notes now.');
    return undefined;
  },
  decide(s, a, now) {
    const def = scenarioById(a.scenario_id);
    if (!def) return refuse('invalid-input', `unknown scenario "${a.scenario_id}"; the authorised ones are: sso-down, mfa-lost, console-outage (root) and p0-role (role)`);
    if (def.ceremony_type !== s.type) return refuse('invalid-input', `"${def.title}" is a ${def.ceremony_type} scenario; this is a ${s.type} ceremony`);
    const ev = def.evidence.safeParse(a.evidence);
    if (!ev.success) {
      // Every problem at once: in a SEV-0 nobody should fix a form one refusal at a time.
      const where = ev.error.issues
        .map((issue) => (issue.code === 'unrecognized_keys' ? `unknown evidence field ${issue.keys.map((k) => `"${k}"`).join(', ')}` : `${formatPath(issue.path)}: ${issue.message}`))
        .join('; ');
      return refuse('invalid-input', `evidence for "${def.title}": ${where}`);
    }
    const evidence = ev.data as Record<string, string>;
    const times = evidenceTimeProblems(def.id as ScenarioId, evidence, now);
    if (times.length) return refuse('invalid-input', `evidence for "${def.title}": ${times.join('; ')}`);
    const reason = check(reasonRule, a.reason);
    if (!reason.ok) return refuse('invalid-input', reason.message);
    const nope = notAuthorisedMatch(`${reason.value} ${Object.values(evidence).join(' ')}`);
    if (nope) return refuse('not-authorised', `Not authorised: ${nope}.`);
    if (def.id === 'p0-role') {
      const same = (x: string) => [s.operator.id, s.operator.name].some((o) => o.toLowerCase() === x.trim().replace(/^@/, '').toLowerCase());
      if (same(evidence.approver!)) return refuse('not-authorised', 'approver: the approver must be someone other than the operator');
      if (s.linked_ceremony_id && !evidence.renewal_justification) {
        return refuse('invalid-input', `renewal justification: this ceremony renews ${s.linked_ceremony_id}; a renewal is a separate incident and needs its own justification`);
      }
      if (!s.linked_ceremony_id && evidence.renewal_justification) return refuse('invalid-input', 'renewal justification: only a renewal (a ceremony linked to an earlier one) has one');
    }
    for (const k of Object.keys(evidence)) if (/T\d/.test(evidence[k]!) && !Number.isNaN(Date.parse(evidence[k]!))) evidence[k] = normaliseIso(evidence[k]!);
    return entry('scenario_selected', { scenario_id: def.id, evidence, reason: reason.value });
  },
});
