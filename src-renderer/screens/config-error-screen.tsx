import { Screen } from '../components/screen';
import { useAppStore } from '../store';

/** A broken configuration file: say which file and which keys, instead of a blank screen. */
export function ConfigErrorScreen() {
  const config = useAppStore((s) => s.app.config);
  if (!config?.error) return null;
  return (
    <Screen
      id="config-error"
      title="The configuration file is not valid"
      lead="Fix the file and restart Breakglass. Nothing was recorded."
    >
      <p>
        File: <code data-testid="config-error-file">{config.error.file}</code>
      </p>
      <ul className="problems" data-testid="config-problems">
        {config.error.problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <div className="warning" data-testid="next-step">
        <p>
          <strong>Next, mid-outage:</strong> fix the lines named above, or move the file aside (rename it) and restart
          Breakglass: it then runs on the runbook&apos;s own tables and says so. To check a fixed file before
          restarting: <code>npx breakglass config --check {config.error.file}</code>.
        </p>
      </div>
    </Screen>
  );
}
