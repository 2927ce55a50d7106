import * as z from 'zod';
import { meaningfulText } from '../text-rules';
import { argsOf, check, defineCommand, entry, refuseAt, ruleOnFirstCheck, text } from './rule-kit';

const noteRule = ruleOnFirstCheck(() => meaningfulText(2, 1, 4000));
const noteOf = (a: { text: string }) => check(noteRule, a.text, 'text', 'note');

/** A note: always possible (corrections, and after an abort), optionally about an earlier seq. */
export const addNote = defineCommand({
  args: () => z.strictObject({ text: text(4000), refers_to_seq: z.number().int().nonnegative().optional() }),
  afterAbort: () => true,
  order: () => undefined,
  decide(s, a) {
    const said = noteOf(a);
    if (!said.ok) return said;
    const ref = a.refers_to_seq;
    if (ref !== undefined && ref > s.head.seq)
      return refuseAt('refers_to_seq', 'refers to seq', `there is no seq ${ref} yet (the head is ${s.head.seq})`);
    return entry('note', { text: said.value, refers_to_seq: ref });
  },
  recorded: { kind: 'note', args: (p) => argsOf(p, ['text', 'refers_to_seq']), check: noteOf },
});
