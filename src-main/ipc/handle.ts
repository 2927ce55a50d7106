// Security-critical: every IPC call from the renderer enters main through this file.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  invokeContract,
  type InvokeChannel,
  type InvokeArgs,
  type InvokeValue,
  type IpcResult,
} from '../../src-shared/ipc/contract';
import { fieldsInWords, issueFields, plainWords } from '../../src-shared/issue-words';
import { refused, type Result } from '../../src-shared/result';

/** Every channel's implementation returns the core's one result shape; only a bug throws. */
export type Handlers = {
  [C in InvokeChannel]: (...args: InvokeArgs<C>) => Promise<Result<InvokeValue<C>>> | Result<InvokeValue<C>>;
};

/**
 * No call needs more than this (the largest field, a pasted assume-role output, is 20 000
 * characters): anything bigger is refused before a schema spends time on it.
 */
export const MAX_ARGS_BYTES = 64 * 1024;

/** JSON length of the arguments, or -1 for something that is not plain data (cycles, BigInt). */
function payloadSize(args: unknown[]): number {
  try {
    return JSON.stringify(args)?.length ?? 0;
  } catch {
    return -1;
  }
}

/**
 * Handles one call: rejects senders that are not our window's main frame, validates the
 * arguments against the contract, and returns a Result instead of throwing across IPC.
 */
export async function dispatch<C extends InvokeChannel>(
  channel: C,
  rawArgs: unknown[],
  isTrustedSender: () => boolean,
  handlers: Handlers,
): Promise<IpcResult<InvokeValue<C>>> {
  if (!isTrustedSender()) return refused('forbidden', `refused ${channel}: not sent by the Breakglass window`);
  const spec = Object.hasOwn(invokeContract, channel) ? invokeContract[channel] : undefined;
  if (!spec) return refused('unknown-channel', `no such call ${String(channel).slice(0, 80)}`);
  const size = payloadSize(rawArgs);
  if (size < 0) return refused('invalid-argument', `${channel}: the arguments are not plain data`);
  if (size > MAX_ARGS_BYTES)
    return refused('too-large', `${channel}: the arguments are ${size} bytes; at most ${MAX_ARGS_BYTES}`);
  const parsed = spec.args.safeParse(rawArgs, { error: plainWords });
  if (!parsed.success) return argumentRefusal(channel, parsed.error.issues);
  try {
    const impl = handlers[channel] as (...args: unknown[]) => Promise<Result<InvokeValue<C>>> | Result<InvokeValue<C>>;
    return await impl(...(parsed.data as unknown[]));
  } catch (error) {
    // Expected refusals are values; anything thrown is a bug, said as one (the CLI's exit 70).
    const message = error instanceof Error ? error.message : String(error);
    return refused('unexpected', `unexpected error: ${message}`);
  }
}

/**
 * Arguments that fail the contract: each field by its path inside the argument (the leading
 * argument index dropped: "cloudtrail.0"), with its problem in words, for the form to show.
 */
function argumentRefusal(channel: string, issues: Parameters<typeof issueFields>[0]): ReturnType<typeof refused> {
  const fields = issueFields(issues, 1);
  const first = issues[0];
  const where = first?.path.length ? `argument ${String(first.path[0])}` : 'arguments';
  const said = Object.keys(fields).length ? fieldsInWords(fields) : (first?.message ?? 'invalid');
  return refused('invalid-argument', `${channel}: ${where}: ${said}`, { fields });
}

/** Registers every contract channel on ipcMain; a channel without a handler is a type error. */
export function registerHandlers(
  ipcMain: IpcMain,
  handlers: Handlers,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): void {
  for (const channel of Object.keys(invokeContract) as InvokeChannel[]) {
    ipcMain.handle(channel, (event, ...args: unknown[]) =>
      dispatch(channel, args, () => isTrustedSender(event), handlers),
    );
  }
}
