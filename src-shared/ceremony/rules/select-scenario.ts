import * as z from 'zod';
import { issueFields, plainWords } from '../../issue-words';
import { ok, refused, type RefusalCode, type Result } from '../../result';
import {
  evidenceTimeProblems,
  notAuthorisedMatch,
  scenarioById,
  type ScenarioDefinition,
  type ScenarioId,
} from '../scenarios';
import { normaliseIso, oneLine } from '../text-rules';
import { argsOf, check, defineCommand, entry, isLocked, refusal, refuse, ruleOnFirstCheck, text } from './rule-kit';

const reasonRule = ruleOnFirstCheck(() => oneLine(10, 3, 300));
const reasonOf = (a: { reason: string }) => check(reasonRule, a.reason, 'reason', 'reason');

/** The evidence form's own checks (not its times, which are checked against the clock). */
function evidenceOf(def: ScenarioDefinition, given: Record<string, string>): Result<Record<string, string>> {
  const ev = def.evidence.safeParse(given, { error: plainWords });
  return ev.success
    ? ok({ ...(ev.data as Record<string, string>) })
    : refuseEvidence(def, issueFields(ev.error.issues));
}

/** Step 1: an authorised scenario, its structured evidence and a one-line reason. */
export const selectScenario = defineCommand({
  args: () =>
    z.strictObject({
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
    if (!def)
      return refuse(
        'invalid-input',
        `unknown scenario "${a.scenario_id}"; the authorised ones are: sso-down, mfa-lost, console-outage (root) and p0-role (role)`,
      );
    if (def.ceremony_type !== s.type)
      return refuse('invalid-input', `"${def.title}" is a ${def.ceremony_type} scenario; this is a ${s.type} ceremony`);
    // Every problem at once: in a SEV-0 nobody should fix a form one refusal at a time.
    const ev = evidenceOf(def, a.evidence);
    if (!ev.ok) return ev;
    const evidence = ev.value;
    const times = evidenceTimeProblems(def.id as ScenarioId, evidence, now);
    if (Object.keys(times).length) return refuseEvidence(def, times);
    const reason = reasonOf(a);
    if (!reason.ok) return reason;
    const nope = notAuthorisedMatch(`${reason.value} ${Object.values(evidence).join(' ')}`);
    if (nope) return refuse('not-authorised', `Not authorised: ${nope}.`);
    if (def.id === 'p0-role') {
      const same = (x: string) =>
        [s.operator.id, s.operator.name].some((o) => o.toLowerCase() === x.trim().replace(/^@/, '').toLowerCase());
      if (same(evidence.approver!))
        return refuseEvidence(
          def,
          { approver: 'the approver must be someone other than the operator' },
          { code: 'not-authorised', alone: true },
        );
      if (s.linked_ceremony_id && !evidence.renewal_justification) {
        return refuseEvidence(
          def,
          {
            renewal_justification: `this ceremony renews ${s.linked_ceremony_id}; a renewal is a separate incident and needs its own justification`,
          },
          { alone: true },
        );
      }
      if (!s.linked_ceremony_id && evidence.renewal_justification)
        return refuseEvidence(
          def,
          { renewal_justification: 'only a renewal (a ceremony linked to an earlier one) has one' },
          { alone: true },
        );
    }
    for (const k of Object.keys(evidence))
      if (/T\d/.test(evidence[k]!) && !Number.isNaN(Date.parse(evidence[k]!))) evidence[k] = normaliseIso(evidence[k]!);
    return entry('scenario_selected', { scenario_id: def.id, evidence, reason: reason.value });
  },
  recorded: {
    kind: 'scenario_selected',
    args: (p) => argsOf(p, ['scenario_id', 'evidence', 'reason']),
    // An unknown scenario, or one of the other type, is the derivation's finding (derive-state.ts).
    check(a) {
      const def = scenarioById(a.scenario_id);
      const ev = def ? evidenceOf(def, a.evidence) : ok(a.evidence);
      return ev.ok ? reasonOf(a) : ev;
    },
  },
});

/**
 * The evidence form's problems, each keyed by its field ("evidence.idp") for the form and named
 * by the label the screen shows. The one line a person reads says whose evidence, unless it is a
 * rule about one field `alone` (the approver, a renewal's justification), said by that field.
 */
function refuseEvidence(
  def: ScenarioDefinition,
  problems: Record<string, string>,
  how: { code?: RefusalCode; alone?: boolean } = {},
) {
  const labelOf = (key: string) => def.fields.find((f) => f.key === key)?.label ?? key.replace(/_/g, ' ');
  const said = Object.entries(problems).map(
    ([key, words]) => `${how.alone ? key.replace(/_/g, ' ') : labelOf(key)}: ${words}`,
  );
  const fields = Object.fromEntries(Object.entries(problems).map(([key, words]) => [`evidence.${key}`, words]));
  const labels = Object.fromEntries(Object.keys(problems).map((key) => [`evidence.${key}`, labelOf(key)]));
  return refused(
    how.code ?? 'invalid-input',
    how.alone ? said.join('; ') : `evidence for "${def.title}": ${said.join('; ')}`,
    { fields, labels },
  );
}
