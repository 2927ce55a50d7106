import type { CliCommand } from '../command';
import { exportCommand } from './export';
import { verifyCommand } from './verify';
import { drillCommand } from './drill';
import { keyCommand } from './key';
import { configCommand } from './config';
import { reconcileCommand } from './reconcile';
import { reviewCommand } from './review';
import { syncCommand } from './sync';
import { auditDiffCommand } from './audit-diff';

/** Every CLI command, one line each; each lives in its own file in this folder. */
export const COMMANDS: CliCommand[] = [
  exportCommand,
  verifyCommand,
  drillCommand,
  keyCommand,
  configCommand,
  reconcileCommand,
  reviewCommand,
  syncCommand,
  auditDiffCommand,
];
