import { warningLevel } from '../../src-shared/aws/anti-patterns';
import { useAppStore } from '../store';

const LEVEL_WORDS = { critical: 'Must fix', warning: 'Warning', note: 'Note' } as const;

/**
 * What the core says the person should see now (a founder who has not acknowledged, SSO that
 * works, an anti-pattern in the running log, the timer), each with its level: a targeted
 * read-only call is a note, a persistent credential is critical.
 */
export function CoreWarnings() {
  const warnings = useAppStore((s) => s.ceremony.state?.warnings);
  const phase = useAppStore((s) => s.ceremony.state?.phase);
  if (!warnings || warnings.length === 0 || phase === 'aborted') return null;
  const sorted = warnings
    .map((text) => ({ text, level: warningLevel(text) }))
    .sort((a, b) => rank(a.level) - rank(b.level));
  return (
    <section className="core-warnings" aria-label="Warnings" data-testid="core-warnings">
      <ul className="plain">
        {sorted.map((w) => (
          <li key={w.text} className={`level-${w.level}`} data-level={w.level}>
            <strong>{LEVEL_WORDS[w.level]}:</strong> {w.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

const rank = (level: keyof typeof LEVEL_WORDS) => (level === 'critical' ? 0 : level === 'warning' ? 1 : 2);
