import type { CliCommand } from '../command';
import { reconcileCommand } from './reconcile';
import { reviewCommand } from './review';
import { syncCommand } from './sync';
import { auditDiffCommand } from './audit-diff';

/** Every CLI command, one line each; each lives in its own file in this folder. */
export const COMMANDS: CliCommand[] = [
  reconcileCommand,
  reviewCommand,
  syncCommand,
  auditDiffCommand,
];
