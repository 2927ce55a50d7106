/**
 * Who is breaking glass: the principal named (case-insensitively), or the only one when the
 * configuration has exactly one. With several principals a choice is required, so that a key is
 * never enrolled for, and a ceremony never started as, the wrong person by default.
 */
export type OperatorChoice<P extends { id: string }> =
  | { ok: true; principal: P }
  | { ok: false; code: 'not-authorised' | 'invalid-input'; message: string };

export function resolveOperator<P extends { id: string }>(principals: readonly P[], requested: string | undefined): OperatorChoice<P> {
  const ids = principals.map((p) => p.id).join(', ');
  if (requested !== undefined) {
    const found = principals.find((p) => p.id.toLowerCase() === requested.toLowerCase());
    return found ? { ok: true, principal: found } : { ok: false, code: 'not-authorised', message: `"${requested}" is not a break-glass principal (${ids})` };
  }
  if (principals.length === 1) return { ok: true, principal: principals[0]! };
  return { ok: false, code: 'invalid-input', message: `choose who is breaking glass: ${ids}` };
}
