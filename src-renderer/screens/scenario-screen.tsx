import { useState, type FormEvent } from 'react';
import { Field } from '../components/field';
import { LockPanel } from '../components/lock-panel';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { WhyNot } from '../components/why-not';
import { useAppStore } from '../store';

/** One of the authorised scenarios, with the evidence it needs; the NOT-authorised list in view. */
export function ScenarioScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const catalog = useAppStore((s) => s.ceremony.catalog);
  const command = useAppStore((s) => s.command);
  const busy = useAppStore((s) => s.ceremony.busy);
  const scenarios = (catalog?.scenarios ?? []).filter((s) => s.ceremony_type === state.type);
  const [scenarioId, setScenarioId] = useState(state.scenario?.scenario_id ?? scenarios[0]?.id ?? '');
  const [evidence, setEvidence] = useState<Record<string, string>>(state.scenario?.evidence ?? {});
  const [reason, setReason] = useState(state.scenario?.reason ?? '');
  const locked = state.steps.find((s) => s.id === 'scenario')?.status === 'locked';
  const scenario = scenarios.find((s) => s.id === scenarioId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const filled = Object.fromEntries(Object.entries(evidence).filter(([k, v]) => v.trim() !== '' && scenario?.fields.some((f) => f.key === k)));
    void command('ceremony:selectScenario', { scenario_id: scenarioId, evidence: filled, reason });
  };
  return (
    <Screen id="scenario" title="Is break-glass authorised?" lead="Only these scenarios. Give the evidence; a reason alone is not enough.">
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
                    <input type="radio" name="scenario" value={s.id} checked={scenarioId === s.id} onChange={() => setScenarioId(s.id)} data-testid={`scenario-${s.id}`} />
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
                  {scenario.fields.filter((f) => f.key !== 'renewal_justification' || state.linked_ceremony_id).map((f) => (
                    <Field key={`${scenario.id}-${f.key}`} id={`ev-${f.key}`} label={f.label} hint={f.hint} value={evidence[f.key] ?? ''} onChange={(v) => setEvidence({ ...evidence, [f.key]: v })} />
                  ))}
                </fieldset>
              ) : null}
              <Field id="reason" label="One-line reason (goes into the audit row)" hint={state.type === 'root-login' ? 'What the SEV-0 needs root for, in one sentence' : 'What the P0 needs the breakglass role for, in one sentence'} value={reason} onChange={setReason} />
              <button type="submit" className="primary" disabled={busy !== null || !state.allowed.select_scenario.ok} data-testid="record-scenario">
                {state.scenario ? 'Record again (the latest counts)' : 'Record the scenario'}
              </button>
              <WhyNot allowed={state.allowed.select_scenario} />
              <Refusal channels={['ceremony:selectScenario']} />
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
