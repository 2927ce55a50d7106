import { AbortForm } from '../components/note-form';
import { Refusal } from '../components/refusal';
import { Screen } from '../components/screen';
import { WhyNot } from '../components/why-not';
import { utcTime } from '../lib/format';
import { useAppStore } from '../store';

/** Step 2: try SSO once, exactly as the runbook says, and record what happened. */
export function SsoScreen() {
  const state = useAppStore((s) => s.ceremony.state)!;
  const command = useAppStore((s) => s.command);
  const busy = useAppStore((s) => s.ceremony.busy);
  const probe = state.sso_probe;
  const blocked = state.steps.find((s) => s.id === 'sso_probe')?.status === 'blocked';
  return (
    <Screen
      id="sso_probe"
      title="Confirm SSO is unavailable"
      lead="Try once. The app asks STS GetCallerIdentity with the SSO profile and records the exact answer."
    >
      {!probe ? (
        <>
          <p>
            {state.drill
              ? 'DRILL: the outage is simulated; no request is sent.'
              : 'One request, with the configured SSO profile. Only an inconclusive answer (a problem on this laptop, such as an expired token) earns one more try.'}
          </p>
          <button
            type="button"
            className="primary"
            disabled={busy !== null || !state.allowed.probe_sso.ok}
            onClick={() => void command('ceremony:probeSso', {})}
            data-testid="probe-sso"
          >
            {busy === 'ceremony:probeSso' ? 'Trying SSO…' : 'Try SSO once'}
          </button>
          <WhyNot allowed={state.allowed.probe_sso} />
        </>
      ) : (
        <div className={`recorded outcome-${probe.outcome}`} data-testid="sso-outcome">
          <h2>
            {probe.outcome === 'sso_unavailable'
              ? 'SSO is unavailable'
              : probe.outcome === 'sso_working'
                ? 'SSO WORKS'
                : 'Inconclusive'}
          </h2>
          <dl>
            <div>
              <dt>time</dt>
              <dd>{utcTime(probe.attempted_at)}</dd>
            </div>
            <div>
              <dt>profile / region</dt>
              <dd>
                {probe.profile} / {probe.region}
              </dd>
            </div>
            <div>
              <dt>endpoint</dt>
              <dd>{probe.endpoint}</dd>
            </div>
            {probe.error_name ? (
              <div>
                <dt>error</dt>
                <dd>{probe.error_name}</dd>
              </div>
            ) : null}
            {probe.error_message ? (
              <div>
                <dt>message</dt>
                <dd>{probe.error_message}</dd>
              </div>
            ) : null}
            {probe.caller_arn ? (
              <div>
                <dt>caller</dt>
                <dd>{probe.caller_arn}</dd>
              </div>
            ) : null}
          </dl>
          <p className="hint">Document the symptom in the incident channel.</p>
          {probe.outcome === 'inconclusive' ? (
            <div className="warning" data-testid="sso-inconclusive">
              <p role="alert">
                <strong>This did not show that SSO is down.</strong>{' '}
                {probe.attempts === 1
                  ? 'If the cause is on this laptop (no SSO profile, an expired token: run aws sso login), fix it and check again, once. Otherwise go on only if SSO is really down; the session log will say it was not confirmed.'
                  : 'Inconclusive twice: SSO was not confirmed down. Go on only if it really is; the session log and the postmortem must say why.'}
              </p>
              {probe.attempts === 1 ? (
                <>
                  <button
                    type="button"
                    disabled={busy !== null || !state.allowed.probe_sso.ok}
                    onClick={() => void command('ceremony:probeSso', {})}
                    data-testid="probe-sso-again"
                  >
                    {busy === 'ceremony:probeSso' ? 'Trying SSO…' : 'Check SSO again (last try)'}
                  </button>
                  <WhyNot allowed={state.allowed.probe_sso} />
                </>
              ) : null}
            </div>
          ) : null}
        </div>
      )}
      {blocked ? (
        <div className="blocked" role="alert" data-testid="sso-works">
          <p>
            <strong>SSO works. Use SSO.</strong> The “SSO is down” scenario cannot proceed; abort this ceremony.
          </p>
          <AbortForm open />
        </div>
      ) : null}
      <Refusal channels={['ceremony:probeSso']} />
    </Screen>
  );
}
