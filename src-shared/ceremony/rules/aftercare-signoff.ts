import * as z from 'zod';
import { checklistFor } from '../../aftercare/ceremony-checklist';
import { evidenceOf } from './aftercare-evidence';
import { aftercareStarted } from './session-order';
import { argsOf, defineCommand, entry, refuse, refuseAt, text } from './rule-kit';

/** A sign-off of after-care (or of one item); in the role ceremony only by its cleanup owner. */
export const signOffAftercare = defineCommand({
  args: () => z.strictObject({ item_id: z.string().min(1).optional(), by: text(200), text: text(4000) }),
  order: aftercareStarted,
  decide(s, a) {
    if (a.item_id && !checklistFor(s.type).some((i) => i.id === a.item_id))
      return refuse('not-found', `no after-care item "${a.item_id}"`);
    const said = formOf(a);
    if (!said.ok) return said;
    const by = a.by.trim();
    if (
      s.role_session &&
      by.replace(/^@/, '').toLowerCase() !== s.role_session.cleanup_owner.replace(/^@/, '').toLowerCase()
    ) {
      return refuse('not-authorised', `by: only the cleanup owner (${s.role_session.cleanup_owner}) signs off`);
    }
    return entry('aftercare_signoff', { item_id: a.item_id, by, text: said.value });
  },
  recorded: { kind: 'aftercare_signoff', args: (p) => argsOf(p, ['item_id', 'by', 'text']), check: formOf },
});

/** The sign-off form's own checks: what it says, and who signs (the cleanup owner is the state's). */
function formOf(a: { by: string; text: string }) {
  const said = evidenceOf(a);
  if (!said.ok) return said;
  return a.by.trim() ? said : refuseAt('by', 'by', 'who signs off');
}
