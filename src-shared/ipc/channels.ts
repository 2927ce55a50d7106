import type { CommandName } from '../ceremony/commands';

/**
 * Channel names only, without schemas, so the sandboxed preload stays small (no zod).
 * contract.ts checks at compile time that these lists and its schemas name the same channels.
 */

/**
 * One channel per ceremony command, each called as `(ceremonyId, args)`. Main validates `args`
 * with exactly the ceremony's COMMAND_ARGS schema of the command named here.
 */
export const CEREMONY_COMMAND_CHANNELS = {
  'ceremony:selectScenario': 'select_scenario',
  'ceremony:probeSso': 'probe_sso',
  'ceremony:notifyFounder': 'notify_founder',
  'ceremony:selectAccount': 'select_account',
  'ceremony:recordSignIn': 'record_sign_in',
  'ceremony:writeAuditRow': 'write_audit_row',
  'ceremony:recordRoleSession': 'record_role_session',
  'ceremony:logAction': 'log_action',
  'ceremony:finishMinimalAction': 'finish_minimal_action',
  'ceremony:recordSignOut': 'record_sign_out',
  'ceremony:lockStep': 'lock_step',
  'ceremony:addNote': 'add_note',
  'ceremony:abort': 'abort',
  'ceremony:recordAftercareEvidence': 'record_aftercare_evidence',
  'ceremony:signOffAftercare': 'sign_off_aftercare',
} as const satisfies Record<`ceremony:${string}`, Exclude<CommandName, 'start'>>;

export type CeremonyCommandChannel = keyof typeof CEREMONY_COMMAND_CHANNELS;

export const INVOKE_CHANNELS = [
  'app:info',
  'app:openConsole',
  'config:info',
  'journal:status',
  'key:status',
  'key:enrol',
  'key:simulateTouch',
  'key:providePin',
  'sync:status',
  'sync:now',
  'ceremony:describe',
  'ceremony:list',
  'ceremony:get',
  'ceremony:start',
  'ceremony:cancelTap',
  'ceremony:export',
  'ceremony:reconcile',
  ...(Object.keys(CEREMONY_COMMAND_CHANNELS) as CeremonyCommandChannel[]),
] as const;

export const EVENT_CHANNELS = [
  'journal:changed',
  'ceremony:changed',
  'key:changed',
  'key:touch',
  'key:pin',
  'sync:progress',
] as const;

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number];
export type EventChannel = (typeof EVENT_CHANNELS)[number];
