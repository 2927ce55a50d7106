import { useAppStore } from '../store';

/** What main refused for one of these calls, and why; shown where the person acted. */
export function Refusal(props: { channels: string[] }) {
  const refused = useAppStore((s) => s.ceremony.refused);
  if (!refused || !props.channels.includes(refused.channel)) return null;
  return (
    <div className="refusal" role="alert" data-testid="refusal" data-code={refused.code}>
      <strong>{refused.code === 'tap-failed' ? 'The key tap did not lock the step.' : 'Refused.'}</strong> {refused.message}
    </div>
  );
}
