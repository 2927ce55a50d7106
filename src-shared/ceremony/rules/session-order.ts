import type { Refusal } from '../commands';
import { isLocked, refusal as r, type CoreState } from './rule-kit';

/** Ordering rules several commands share: written once here, named in each command's order(). */

export const isRoot = (s: CoreState) => s.type === 'root-login';

/** Signing in (or taking the role) is impossible before the founders know. */
export function notifyLockedFirst(s: CoreState): Refusal | undefined {
  if (!isLocked(s, 'notify'))
    return r(
      'out-of-order',
      'Notify the founders and lock that step with a key tap first: signing in is impossible before the founders know.',
    );
  return undefined;
}

/** The minimal action runs in an open session: after the audit row (or role session), before sign-out. */
export function sessionOpen(s: CoreState): Refusal | undefined {
  const root = isRoot(s);
  if (root && !isLocked(s, 'audit_row'))
    return r(
      'out-of-order',
      'Write the agent_audit_log row and lock it with a tap first: the audit row cannot be skipped.',
    );
  if (!root && !isLocked(s, 'role_session'))
    return r('out-of-order', 'Record the role session (start and expiration) and lock it with a tap first.');
  if (s.sign_out) return r('finished', 'You have signed out; the session is over. Corrections are notes.');
  return undefined;
}

/** log_action and finish_minimal_action: an open, successful session whose action is not finished. */
export function minimalActionOpen(s: CoreState): Refusal | undefined {
  const open = sessionOpen(s);
  if (open) return open;
  if (s.audit_row?.result === 'failure')
    return r(
      'out-of-order',
      'The root sign-in failed (recorded in the audit row): there is no session to act in. Sign out to close the attempt.',
    );
  if (s.minimal_action_summary !== null)
    return r('finished', 'The minimal action is finished. Sign out now; add anything you forgot as a note.');
  return undefined;
}

/** select_account and record_sign_in: root only, before the sign-in is locked, after notify. */
export function signInOpen(s: CoreState): Refusal | undefined {
  if (!isRoot(s)) return r('out-of-order', 'The breakglass-role ceremony records a role session, not a root sign-in.');
  if (isLocked(s, 'sign_in')) return r('locked', 'The sign-in step is locked. Corrections are notes now.');
  return notifyLockedFirst(s);
}

/** After-care evidence and sign-offs: only once its clock has started. */
export function aftercareStarted(s: CoreState): Refusal | undefined {
  if (!s.aftercare)
    return r(
      'out-of-order',
      s.type === 'root-login'
        ? 'After-care starts at sign-out.'
        : 'The cleanup clock starts at the role session start.',
    );
  return undefined;
}
