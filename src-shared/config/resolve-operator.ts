import { ok, refused, type Refusal, type Result } from '../result';

/**
 * Who is breaking glass: the principal named (case-insensitively), or the only one when the
 * configuration has exactly one. With several principals a choice is required, so that a key is
 * never enrolled for, and a ceremony never started as, the wrong person by default.
 */
export function resolveOperator<P extends { id: string }>(
  principals: readonly P[],
  requested: string | undefined,
): Result<P, Refusal<'not-authorised' | 'invalid-input'>> {
  const ids = principals.map((p) => p.id).join(', ');
  if (requested !== undefined) {
    const found = principals.find((p) => p.id.toLowerCase() === requested.toLowerCase());
    return found ? ok(found) : refused('not-authorised', `"${requested}" is not a break-glass principal (${ids})`);
  }
  if (principals.length === 1) return ok(principals[0]!);
  return refused('invalid-input', `choose who is breaking glass: ${ids}`);
}
