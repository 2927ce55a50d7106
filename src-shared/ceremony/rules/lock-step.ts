import * as z from 'zod';
import { LOCK_STEPS, stepDefinition } from '../steps';
import { defineCommand, hasStep, NEEDS_IO, refusal as r, stepStatus } from './rule-kit';

/**
 * Locks a step with a key tap (the current one unless named), or seals a finished ceremony
 * (`seal`, also after an abort). The service asks the key and appends.
 */
export const lockStep = defineCommand({
  args: () => z.strictObject({ step: z.enum(LOCK_STEPS) }),
  afterAbort: (args) => args?.step === 'seal',
  order(s, args) {
    if (args?.step === 'seal') {
      if (!s.aborted && !s.sign_out)
        return r('out-of-order', 'Only a finished ceremony (signed out, or aborted) is sealed.');
      if (s.seals.at(-1)?.seq === s.head.seq)
        return r('locked', 'The ceremony is sealed up to its last entry; nothing new to seal.');
      if (s.phase === 'aftercare' || s.aborted) return undefined;
      return r('out-of-order', 'Lock the sign-out step with a tap first.');
    }
    const step = args?.step ?? s.current_step;
    if (!step) return r('finished', s.phase === 'aftercare' ? 'Every step is locked.' : 'Nothing to lock.');
    if (!hasStep(s, step)) return r('invalid-input', `the ${s.type} ceremony has no "${step}" step`);
    const def = stepDefinition(step);
    if (!def.locks_with_tap) return r('invalid-input', `the "${step}" step does not lock with a tap`);
    const view = stepStatus(s, step)!;
    if (view.status === 'locked') return r('locked', `"${def.title}" is already locked.`);
    if (view.status === 'pending')
      return r(
        'out-of-order',
        `Finish "${s.steps.find((x) => x.status === 'open' || x.status === 'done' || x.status === 'blocked')?.title ?? 'the earlier steps'}" first.`,
      );
    if (view.status === 'blocked') return r('not-authorised', view.detail ?? 'this step is blocked');
    if (view.status === 'open') return r('out-of-order', `Nothing to lock yet: ${view.detail}.`);
    return undefined;
  },
  decide: () => NEEDS_IO,
});
