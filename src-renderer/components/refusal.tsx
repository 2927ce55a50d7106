import { useAppStore } from '../store';

/**
 * What main refused for one of these calls, and why; shown where the person acted. Forms that
 * share a channel (one per checklist item) pass `subject`, so the reason appears under the one
 * that was used, not under all of them.
 */
export function Refusal(props: { channels: string[]; subject?: string }) {
  const refused = useAppStore((s) => s.ceremony.refused);
  if (!refused || !props.channels.includes(refused.channel)) return null;
  if (props.subject !== undefined && refused.subject !== props.subject) return null;
  return (
    <div className="refusal" role="alert" data-testid="refusal" data-code={refused.code}>
      <strong>{refused.code === 'tap-failed' ? 'The key tap did not lock the step.' : 'Refused.'}</strong> {refused.message}
    </div>
  );
}
