import type { DeclaredAction } from './ceremony-facts';

/**
 * Assigns events of one service:operation to the journal lines that declared it. First one event
 * per declaration, closest in time first (two logged terminate-instances need two events), then
 * any further events to their nearest declaration (one `aws s3 sync` makes many PutObject calls).
 * Returns, per event index, the declaration it belongs to.
 */
export function pairDeclarations(declared: readonly DeclaredAction[], eventTimes: readonly string[]): DeclaredAction[] {
  const dt = (d: DeclaredAction, i: number) => Math.abs(Date.parse(d.logged_at) - Date.parse(eventTimes[i] as string));
  const pairs: Array<{ d: DeclaredAction; i: number; gap: number }> = [];
  for (const d of declared) for (let i = 0; i < eventTimes.length; i++) pairs.push({ d, i, gap: dt(d, i) });
  pairs.sort((a, b) => a.gap - b.gap || a.d.seq - b.d.seq || a.i - b.i);

  const byEvent: Array<DeclaredAction | undefined> = new Array(eventTimes.length);
  const used = new Set<DeclaredAction>();
  for (const p of pairs) {
    if (used.has(p.d) || byEvent[p.i]) continue;
    byEvent[p.i] = p.d;
    used.add(p.d);
  }
  return eventTimes.map((_, i) => byEvent[i] ?? declared.reduce((best, d) => (dt(d, i) < dt(best, i) ? d : best)));
}
