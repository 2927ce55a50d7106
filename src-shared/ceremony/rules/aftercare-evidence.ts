import * as z from 'zod';
import { checklistFor } from '../../aftercare/ceremony-checklist';
import { meaningfulText } from '../text-rules';
import { aftercareStarted } from './session-order';
import {
  argsOf,
  check,
  defineCommand,
  entry,
  iso,
  plannedTime,
  refuse,
  refuseAt,
  ruleOnFirstCheck,
  text,
} from './rule-kit';

/** What an after-care item's evidence or sign-off has to say. */
export const evidenceRule = ruleOnFirstCheck(() => meaningfulText(5, 2, 4000));
export const evidenceOf = (a: { text: string }) => check(evidenceRule, a.text, 'text', 'evidence');
/** The evidence form's own checks, those that need neither the checklist nor the clock. */
const formOf = (a: { text: string; file_name?: string; file_sha256?: string }) =>
  a.file_name && !a.file_sha256 ? refuseAt('file_name', 'file name', 'given without the file hash') : evidenceOf(a);

/** Evidence for one after-care checklist item (text, time, optionally a file's hash). */
export const recordAftercareEvidence = defineCommand({
  args: () =>
    z.strictObject({
      item_id: z.string().min(1),
      text: text(4000),
      evidence_at: iso.optional(),
      file_sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/, { error: 'expected a hex SHA-256' })
        .optional(),
      file_name: text(255).optional(),
    }),
  order: aftercareStarted,
  decide(s, a, now) {
    const item = checklistFor(s.type).find((i) => i.id === a.item_id);
    if (!item)
      return refuse(
        'not-found',
        `no after-care item "${a.item_id}" (${checklistFor(s.type)
          .map((i) => i.id)
          .join(', ')})`,
      );
    if (item.signoff_of) return refuse('invalid-input', `"${item.title}" is a sign-off: use sign_off_aftercare`);
    const said = evidenceOf(a);
    if (!said.ok) return said;
    const at = plannedTime(a.evidence_at, s, 'evidence_at', 'evidence at');
    if (!at.ok) return at;
    if (item.after_session_expiry && s.role_session) {
      // Both the claimed time and now: an expiry cannot be verified before it happened.
      const expires = Date.parse(s.role_session.expiration);
      if (now.getTime() < expires || Date.parse(at.value) < expires) {
        return refuse(
          'out-of-order',
          `"${item.title}": the role session expires at ${s.role_session.expiration}; its expiry can be verified only after that`,
        );
      }
    }
    const form = formOf(a);
    if (!form.ok) return form;
    if (item.evidence.file === 'required' && !a.file_sha256)
      return refuse('invalid-input', `"${item.title}" needs the attached file (its SHA-256)`);
    return entry('aftercare_evidence', {
      item_id: item.id,
      text: said.value,
      evidence_at: at.value,
      file_sha256: a.file_sha256,
      file_name: a.file_name,
    });
  },
  recorded: {
    kind: 'aftercare_evidence',
    args: (p) => argsOf(p, ['item_id', 'text', 'evidence_at', 'file_sha256', 'file_name']),
    check: formOf,
  },
});
