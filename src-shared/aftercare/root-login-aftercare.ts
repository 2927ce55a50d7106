import type { ChecklistItem } from './checklist-item';

const DAY = 24 * 60;
const within24h = { label: 'within 24 h', opens_after_minutes: 0, due_after_minutes: DAY };

/** root-login-runbook "After break-glass / Within 24 hours"; the clock starts at sign-out. */
export const ROOT_LOGIN_AFTERCARE: readonly ChecklistItem[] = [
  {
    id: 'root.session-log',
    title: 'Write the session-log document',
    runbook: 'root-login-runbook, After break-glass: Document at docs/session-log/<date>-break-glass-<slug>.md',
    window: within24h,
    evidence: {
      describe:
        'Path of the committed session-log document (what was done, what triggered it, what was changed, expected return-to-normal time)',
      file: 'optional',
    },
  },
  {
    id: 'root.restore-standard-path',
    title: 'Restore the standard path',
    runbook: 'root-login-runbook, After break-glass: Restore the standard path',
    window: within24h,
    evidence: {
      describe: 'What was restored and how it was checked (new MFA device serial, SSO sign-in working again at <time>)',
      file: 'optional',
    },
  },
  {
    id: 'root.rotate-credentials',
    title: 'Rotate every credential touched during the session',
    runbook: 'root-login-runbook, After break-glass: Rotate any credential touched',
    window: within24h,
    evidence: {
      describe:
        'Each credential rotated (access keys created - should be zero -, passwords set, policies modified), or why none was touched',
      file: 'optional',
    },
  },
  {
    id: 'root.inform-compliance',
    title: 'Inform the compliance liaison',
    runbook: 'root-login-runbook, After break-glass: Inform Compliance Liaison (Asad)',
    window: within24h,
    evidence: { describe: 'Who was informed, when and where (for the next quarterly access review)', file: 'optional' },
  },
];
