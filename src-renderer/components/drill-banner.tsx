import { useAppStore } from '../store';

/** On every screen of a drill (and of a drill-only app): nothing here is a real break-glass. */
export function DrillBanner() {
  const drill = useAppStore((s) => (s.ceremony.state ? s.ceremony.state.drill : (s.app.info?.drill_only ?? false) || s.ceremony.startDrill));
  if (!drill) return null;
  return (
    <div className="drill-banner" role="status" data-testid="drill-banner">
      DRILL — virtual key, simulated SSO outage. Nothing here is a real break-glass.
    </div>
  );
}

/** While the runbook's example tables stand in for a configuration file. */
export function ConfigNotice() {
  const config = useAppStore((s) => s.app.config);
  if (!config?.warning) return null;
  return (
    <div className="config-notice" role="status" data-testid="config-notice">
      {config.warning}
    </div>
  );
}
