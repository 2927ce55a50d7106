import { refusalWords } from '../lib/refusal-words';
import { useAppStore, type AppState } from '../store';

/** The refusal for one of these channels (and, when forms share one, this subject), if any. */
export function refusalFor(s: AppState, channels: string[], subject?: string) {
  const refused = s.ceremony.refused;
  if (!refused || !channels.includes(refused.channel)) return null;
  if (subject !== undefined && refused.subject !== subject) return null;
  return refused;
}

/**
 * What main refused for one of these calls, and why, in words; shown where the person acted.
 * When the refusal names a field, the field itself is highlighted and carries the sentence (see
 * Field); this box then says where to look. Forms that share a channel (one per checklist item)
 * pass `subject`, so the reason appears under the one that was used, not under all of them.
 */
export function Refusal(props: { channels: string[]; subject?: string; labels?: Record<string, string> }) {
  const refused = useAppStore((s) => refusalFor(s, props.channels, props.subject));
  if (!refused) return null;
  const words = refusalWords(refused, props.labels);
  return (
    <div
      className="refusal"
      role="alert"
      data-testid="refusal"
      data-code={refused.code}
      data-field={words.field ?? undefined}
    >
      <strong>
        {refused.code === 'tap-failed'
          ? 'The key tap did not lock the step.'
          : refused.channel === 'ceremony:export'
            ? 'Refused.'
            : 'Not recorded.'}
      </strong>{' '}
      {words.sentence}
    </div>
  );
}
