/** One after-care or cleanup step that must be evidenced, not ticked. Plain data. */
export interface ChecklistItem {
  /** Stable id written into `aftercare_evidence.item_id`; never renamed once shipped. */
  id: string;
  title: string;
  /** Where the step comes from, e.g. "breakglass-cleanup-runbook Step 2". */
  runbook: string;
  window: {
    /** "0-1 h", "1-4 h", "4-24 h", "within 24 h" */
    label: string;
    /** Minutes after the clock start when the step can start (before that it is 'not-yet'). */
    opens_after_minutes: number;
    /** Minutes after the clock start when the step is overdue without evidence. */
    due_after_minutes: number;
  };
  evidence: {
    /** What the operator must write down, shown next to the text box. */
    describe: string;
    /** 'required': the item is done only with the SHA-256 of an attached file (e.g. the CloudTrail JSON). */
    file: 'optional' | 'required';
  };
  /**
   * A sign-off item: done only with an `aftercare_signoff` by the cleanup owner, and only once
   * every item listed here is done (the owner certifies those steps, runbook Step 6).
   */
  signoff_of?: string[];
  /**
   * Evidence that can exist only once the role session has expired ("verify the session
   * expired"): refused before the credentials' expiration, whatever time is claimed for it.
   */
  after_session_expiry?: true;
}

export type { CeremonyType } from '../ceremony/steps';
