import type { Verdict } from '../evidence/verdict';

/**
 * `breakglass verify`'s exit code for each verdict: a script can tell them apart without reading
 * the text. 2 is the CLI's shared code for input it cannot use; the rest are verify's own
 * (docs/exit-codes.md, docs/threat-model.md). A new verdict does not compile without one.
 */
export const VERDICT_EXITS: Record<Verdict, number> = {
  UNREADABLE: 2,
  TAMPERED: 1,
  'RULES BROKEN': 3,
  INCOMPLETE: 4,
  'ORIGIN NOT VERIFIED': 5,
  'DRILL INTACT': 6,
  INTACT: 0,
};
