import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { LockPanel } from '../components/lock-panel';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { TimePicker } from '../components/time-picker';
import { WhyNot } from '../components/why-not';
import { useAppStore } from '../store';

const CHANNEL = 'ceremony:selectScenario';

/** How a piece of evidence is asked for: a choice, a time picked (never typed), or words. */
function fieldKind(
  key: string,
  hint: string,
): { kind: 'choice'; options: string[] } | { kind: 'time'; past: boolean } | { kind: 'text' } {
  if (key === 'idp') return { kind: 'choice', options: hint.split(/\s+or\s+/).map((o) => o.trim()) };
  if (key.endsWith('_at')) return { kind: 'time', past: true };
  if (key.endsWith('deadline')) return { kind: 'time', past: false };
  return { kind: 'text' };
}

/** One of the authorised scenarios, with the evidence it needs; the NOT-authorised list in view. */
export function ScenarioScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const catalog = useAppStore((s) => s.ceremony.catalog);
  const prefill = useAppStore((s) =>
    s.ceremony.prefill?.for_linked === s.ceremony.state?.linked_ceremony_id ? s.ceremony.prefill : null,
  );
  const recordAndLock = useAppStore((s) => s.recordAndLock);
  const busy = useAppStore((s) => s.ceremony.busy);
  const scenarios = (catalog?.scenarios ?? []).filter((s) => s.ceremony_type === state.type);
  const [scenarioId, setScenarioId] = useState(
    state.scenario?.scenario_id ?? prefill?.scenario_id ?? scenarios[0]?.id ?? '',
  );
  // What the app already knows is filled in: the SSO region from the configuration, the first
  // ceremony's evidence for a renewal, the first choice of a choice.
  const [evidence, setEvidence] = useState<Record<string, string>>(() => {
    const known: Record<string, string> = { region: catalog?.sso.region ?? '' };
    for (const s of scenarios)
      for (const f of s.fields) {
        const kind = fieldKind(f.key, f.hint);
        if (kind.kind === 'choice') known[f.key] ??= kind.options[0] ?? '';
      }
    return { ...known, ...(prefill?.evidence ?? {}), ...(state.scenario?.evidence ?? {}) };
  });
  const [reason, setReason] = useState(state.scenario?.reason ?? prefill?.reason ?? '');
  const locked = state.steps.find((s) => s.id === 'scenario')?.status === 'locked';
  const scenario = scenarios.find((s) => s.id === scenarioId);
  const set = (key: string) => (v: string) => setEvidence({ ...evidence, [key]: v });
  const refusal = (path: string) => ({ channels: [CHANNEL], path });
  const labels = Object.fromEntries((scenario?.fields ?? []).map((f) => [`evidence.${f.key}`, f.label]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const filled = Object.fromEntries(
      Object.entries(evidence).filter(([k, v]) => v.trim() !== '' && scenario?.fields.some((f) => f.key === k)),
    );
    void recordAndLock(CHANNEL, { scenario_id: scenarioId, evidence: filled, reason }, 'scenario');
  };
  return (
    <Screen
      id="scenario"
      title="Is break-glass authorised?"
      lead="Only these scenarios. Give the evidence; a reason alone is not enough."
    >
      <div className="two-col">
        <div>
          {locked && state.scenario ? (
            <RecordedScenario />
          ) : (
            <form onSubmit={submit}>
              <fieldset>
                <legend>Authorised scenario</legend>
                {scenarios.map((s) => (
                  <label className="choice" key={s.id}>
                    <input
                      type="radio"
                      name="scenario"
                      value={s.id}
                      checked={scenarioId === s.id}
                      onChange={() => setScenarioId(s.id)}
                      data-testid={`scenario-${s.id}`}
                    />
                    <span>
                      <strong>{s.title}</strong>
                      <span className="hint"> Runbook: “{s.runbook_text}”</span>
                    </span>
                  </label>
                ))}
              </fieldset>
              {scenario ? (
                <fieldset>
                  <legend>Evidence for “{scenario.title}”</legend>
                  {scenario.fields
                    .filter((f) => f.key !== 'renewal_justification' || state.linked_ceremony_id)
                    .map((f) => {
                      const kind = fieldKind(f.key, f.hint);
                      const key = `${scenario.id}-${f.key}`;
                      if (kind.kind === 'choice') {
                        return (
                          <fieldset key={key} className="inline-choices">
                            <legend>{f.label}</legend>
                            {kind.options.map((o) => (
                              <label key={o} className="choice inline">
                                <input
                                  type="radio"
                                  name={`ev-${f.key}`}
                                  value={o}
                                  checked={evidence[f.key] === o}
                                  onChange={() => set(f.key)(o)}
                                />
                                {o}
                              </label>
                            ))}
                          </fieldset>
                        );
                      }
                      if (kind.kind === 'time') {
                        return (
                          <TimePicker
                            key={key}
                            id={`ev-${f.key}`}
                            label={f.label}
                            value={evidence[f.key] ?? ''}
                            onChange={set(f.key)}
                            allowNow={false}
                            presets={kind.past ? [15, 60, 180] : [-60, -180, -720]}
                            refusal={refusal(`evidence.${f.key}`)}
                          />
                        );
                      }
                      return (
                        <Field
                          key={key}
                          id={`ev-${f.key}`}
                          label={f.label}
                          hint={f.hint}
                          value={evidence[f.key] ?? ''}
                          onChange={set(f.key)}
                          refusal={refusal(`evidence.${f.key}`)}
                        />
                      );
                    })}
                </fieldset>
              ) : null}
              <Field
                id="reason"
                label="One-line reason (goes into the audit row)"
                hint={
                  state.type === 'root-login'
                    ? 'What the SEV-0 needs root for, in one sentence'
                    : 'What the P0 needs the breakglass role for, in one sentence'
                }
                value={reason}
                onChange={setReason}
                refusal={refusal('reason')}
              />
              <button
                type="submit"
                className={state.scenario ? undefined : 'primary'}
                disabled={busy !== null || !state.allowed.select_scenario.ok}
                data-testid="record-scenario"
              >
                {state.scenario ? 'Record again (the latest counts)' : 'Record and lock with key tap'}
              </button>
              <WhyNot allowed={state.allowed.select_scenario} />
              <Refusal channels={[CHANNEL]} labels={{ ...labels, reason: 'One-line reason' }} />
            </form>
          )}
          {state.scenario && !locked ? <RecordedScenario /> : null}
          <LockPanel step="scenario" what="the scenario and its evidence" />
        </div>
        <aside className="not-authorised" data-testid="not-authorised">
          <h2>NOT authorised for</h2>
          <ul>
            {(catalog?.not_authorised ?? []).map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </aside>
      </div>
    </Screen>
  );
}

function RecordedScenario() {
  const scenario = useAppStore((s) => s.ceremony.state?.scenario);
  if (!scenario) return null;
  return (
    <div className="recorded" data-testid="recorded-scenario">
      <h2>Recorded: {scenario.title}</h2>
      <dl>
        {Object.entries(scenario.evidence).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
        <div>
          <dt>reason</dt>
          <dd>{scenario.reason}</dd>
        </div>
      </dl>
    </div>
  );
}
