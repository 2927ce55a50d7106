import * as z from 'zod';
import type { CeremonyType } from './steps';
import { awsRegion, isInFuture, isoInstant, meaningfulText } from './text-rules';

/** The scenarios the runbooks authorise, each with the structured evidence it needs. */
export const SCENARIO_IDS = ['sso-down', 'mfa-lost', 'console-outage', 'p0-role'] as const;
export type ScenarioId = (typeof SCENARIO_IDS)[number];

/**
 * Each scenario's evidence schema is built on first use: a reader of evidence (`breakglass
 * verify`, which replays the recorded payloads) never parses scenario evidence, and ~125 schema
 * objects are a share of its start-up (bench/evidence.bench.ts).
 */
function builtOnce<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

const incidentRef = builtOnce(() =>
  meaningfulText(3, 0, 200).refine((s) => /[A-Za-z0-9]{2,}/.test(s), {
    error: 'expected an incident id or link, e.g. INC-2026-05-20-001',
  }),
);

const ssoDown = builtOnce(() =>
  z.strictObject({
    idp: z.enum(['aws-identity-center', 'google-workspace'], {
      error: 'expected aws-identity-center or google-workspace',
    }),
    region: awsRegion,
    error_text: meaningfulText(10, 2),
    last_good_sso_login_at: isoInstant,
    incident_ref: incidentRef(),
  }),
);

const mfaLost = builtOnce(() =>
  z.strictObject({
    device: meaningfulText(3, 1, 200),
    // The runbook authorises this only when NO recovery codes are available.
    // Whoever has none writes it as they would say it ("none", "no", "0"); it is recorded as 'none-available'.
    recovery_codes: z.preprocess(
      (v) =>
        typeof v === 'string' && /^(?:none(?:[- ]available)?|no(?: recovery codes)?|0|zero)$/i.test(v.trim())
          ? 'none-available'
          : v,
      z.literal('none-available', {
        error:
          'write "none" if no recovery codes are available; if you have any, use them instead of break-glass (this scenario is authorised only without them)',
      }),
    ),
    business_need: meaningfulText(15, 3),
    need_deadline: isoInstant,
  }),
);

const consoleOutage = builtOnce(() =>
  z.strictObject({
    region: awsRegion,
    console_error: meaningfulText(10, 2),
    console_action: meaningfulText(10, 3),
  }),
);

const p0Role = builtOnce(() =>
  z.strictObject({
    incident_ref: incidentRef(),
    blocker: meaningfulText(10, 3),
    approver: meaningfulText(2, 1, 200),
    cleanup_owner: meaningfulText(2, 1, 200),
    renewal_justification: meaningfulText(20, 4).optional(),
  }),
);

export interface ScenarioDefinition {
  id: ScenarioId;
  ceremony_type: CeremonyType;
  title: string;
  /** The runbook sentence that authorises it. */
  runbook_text: string;
  evidence: z.ZodType<Record<string, unknown>>;
  /** Field names and the question the screen asks, in display order. */
  fields: Array<{ key: string; label: string; hint: string }>;
}

export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    id: 'sso-down',
    ceremony_type: 'root-login',
    title: 'SSO is fully down during a SEV-0',
    runbook_text:
      'AWS Identity Center / Google Workspace SSO is fully down and a SEV-0 incident requires AWS API access NOW.',
    get evidence() {
      return ssoDown();
    },
    fields: [
      { key: 'idp', label: 'Identity provider', hint: 'aws-identity-center or google-workspace' },
      { key: 'region', label: 'IdP region', hint: 'e.g. us-east-1' },
      { key: 'error_text', label: 'Exact error text', hint: 'copy the error the SSO login shows' },
      { key: 'last_good_sso_login_at', label: 'Last good SSO login', hint: 'ISO time, e.g. 2026-05-20T12:40:00Z' },
      { key: 'incident_ref', label: 'SEV-0 incident', hint: 'incident id or link' },
    ],
  },
  {
    id: 'mfa-lost',
    ceremony_type: 'root-login',
    title: 'MFA device lost, no recovery codes, time-bound need',
    runbook_text: 'MFA device lost AND no recovery codes available AND a time-bound business need exists.',
    get evidence() {
      return mfaLost();
    },
    fields: [
      { key: 'device', label: 'Which MFA device is lost', hint: 'e.g. YubiKey 5C serial 1234' },
      {
        key: 'recovery_codes',
        label: 'Recovery codes checked',
        hint: 'write "none" if you have none (with any, use them instead)',
      },
      { key: 'business_need', label: 'The business need', hint: 'what must happen and why it cannot wait' },
      { key: 'need_deadline', label: 'Deadline of the need', hint: 'ISO time' },
    ],
  },
  {
    id: 'console-outage',
    ceremony_type: 'root-login',
    title: 'Console outage in the SSO IdP region, console action required',
    runbook_text:
      'AWS Console outage in the SSO IdP region preventing console login when an action requires console access.',
    get evidence() {
      return consoleOutage();
    },
    fields: [
      { key: 'region', label: 'Region of the outage', hint: 'e.g. us-east-1' },
      { key: 'console_error', label: 'Console error', hint: 'exact text' },
      { key: 'console_action', label: 'The action that needs the console', hint: 'and why the CLI/API cannot do it' },
    ],
  },
  {
    id: 'p0-role',
    ceremony_type: 'breakglass-role',
    title: 'P0 incident needs the breakglass-emergency role',
    runbook_text: 'A P0 incident invoked the breakglass-emergency IAM role (1 hour TTL via Vault).',
    get evidence() {
      return p0Role();
    },
    fields: [
      { key: 'incident_ref', label: 'P0 incident', hint: 'incident id or link' },
      { key: 'blocker', label: 'What the standard role cannot do', hint: 'the permission gap' },
      { key: 'approver', label: 'Approver', hint: 'who approved the breakglass' },
      { key: 'cleanup_owner', label: 'Cleanup owner', hint: 'who runs the 24-hour cleanup' },
      {
        key: 'renewal_justification',
        label: 'Renewal justification (renewals only)',
        hint: 'why a second session, and why cleanup cannot wait',
      },
    ],
  },
];

/** The runbook's NOT-authorised list, shown on the scenario screen. */
export const NOT_AUTHORISED: readonly string[] = [
  'Convenience ("MFA prompt is slow")',
  'Routine work ("I forgot my YubiKey")',
  'Avoiding a permission-set request',
  'Root for routine work even if SSO is up',
  'Root to bypass an in-progress incident response ("I\'ll just root-login to look around")',
];

export function scenarioById(id: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

/**
 * Checks that need the clock: times must be plausible, not invented. Returns each problem in
 * plain words, keyed by the evidence field it is about.
 */
export function evidenceTimeProblems(
  scenarioId: ScenarioId,
  evidence: Record<string, unknown>,
  now: Date,
): Record<string, string> {
  const problems: Record<string, string> = {};
  const at = (key: string) => (typeof evidence[key] === 'string' ? (evidence[key] as string) : undefined);
  if (scenarioId === 'sso-down') {
    const last = at('last_good_sso_login_at');
    if (last && isInFuture(last, now)) problems.last_good_sso_login_at = 'this time is in the future';
    else if (last && now.getTime() - Date.parse(last) > 30 * 24 * 3600_000) {
      problems.last_good_sso_login_at =
        'more than 30 days ago; SSO has not been "just" lost, use the standard recovery path';
    }
  }
  if (scenarioId === 'mfa-lost') {
    const deadline = at('need_deadline');
    if (deadline && Date.parse(deadline) < now.getTime()) problems.need_deadline = 'this time has already passed';
    else if (deadline && Date.parse(deadline) - now.getTime() > 7 * 24 * 3600_000) {
      problems.need_deadline = 'more than 7 days away; that is time to provision a new MFA device, not to break glass';
    }
  }
  return problems;
}

/** Phrases from the NOT-authorised list; a reason that matches one is refused. */
const NOT_AUTHORISED_PATTERNS: Array<[RegExp, string]> = [
  [/\b(mfa|prompt)\b.*\bslow\b/i, 'convenience ("MFA prompt is slow") is not authorised'],
  [/\bforgot\b.*\b(yubikey|key|mfa)\b/i, 'routine work ("I forgot my YubiKey") is not authorised'],
  [/\bpermission[- ]?set\b/i, 'avoiding a permission-set request is not authorised'],
  [
    /\blook around\b|\bpoke around\b|\bjust (to )?(check|browse)\b/i,
    'root to look around during an incident is not authorised; containment goes through the IR runbook',
  ],
  [/\bconvenien(ce|t)\b|\broutine\b/i, 'convenience and routine work are not authorised'],
  // Cleanup runbook: renewing the breakglass session "just in case" instead of cleaning up.
  [
    /\bjust in case\b|\bin case (we|i|it|they) (need|needs)\b/i,
    'taking break-glass access "just in case" is not authorised; a renewal needs a concrete, unfinished need',
  ],
];

export function notAuthorisedMatch(text: string): string | undefined {
  for (const [re, why] of NOT_AUTHORISED_PATTERNS) if (re.test(text)) return why;
  return undefined;
}
