import type { Result } from '../../src-shared/result';
import type { CeremonyService } from './ceremony-service';

export type SealOutcome = 'sealed' | 'already-sealed' | 'unfinished';

/**
 * The closing tap before export: a finished ceremony (signed out or aborted) whose head is not
 * yet signed gets one more key tap over its head, so the bundle ends in a signature and nothing
 * in it (after-care entries, notes, an attached reconciliation) is unsigned. An unfinished
 * ceremony is exported as it is; its verdict says INCOMPLETE.
 */
export async function sealIfNeeded(service: CeremonyService, ceremonyId: string): Promise<Result<SealOutcome>> {
  const current = await service.getState(ceremonyId);
  if (!current.ok) return current;
  const s = current.value;
  if (s.phase !== 'aftercare' && !s.aborted) return { ok: true, value: 'unfinished' };
  if (s.seals.at(-1)?.seq === s.head.seq) return { ok: true, value: 'already-sealed' };
  const sealed = await service.seal(ceremonyId);
  return sealed.ok ? { ok: true, value: 'sealed' } : sealed;
}
