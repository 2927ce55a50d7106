// Security-critical: every IPC call from the renderer enters main through this file.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { invokeContract, type InvokeChannel, type InvokeArgs, type InvokeValue, type IpcResult } from '../../src-shared/ipc/contract';

export type Handlers = { [C in InvokeChannel]: (...args: InvokeArgs<C>) => Promise<InvokeValue<C>> | InvokeValue<C> };

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

/** An error whose code and message are meant for the renderer. */
export class IpcError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
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
  if (!isTrustedSender()) return { ok: false, error: { code: 'forbidden', message: `refused ${channel}: not sent by the Breakglass window` } };
  const spec = Object.hasOwn(invokeContract, channel) ? invokeContract[channel] : undefined;
  if (!spec) return { ok: false, error: { code: 'unknown-channel', message: `no such call ${String(channel).slice(0, 80)}` } };
  const size = payloadSize(rawArgs);
  if (size < 0) return { ok: false, error: { code: 'invalid-argument', message: `${channel}: the arguments are not plain data` } };
  if (size > MAX_ARGS_BYTES) return { ok: false, error: { code: 'too-large', message: `${channel}: the arguments are ${size} bytes; at most ${MAX_ARGS_BYTES}` } };
  const parsed = spec.args.safeParse(rawArgs);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: { code: 'invalid-argument', message: `${channel}: argument ${issue?.path.join('.') || ''} ${issue?.message ?? 'invalid'}`.replace(/\s+/g, ' ') } };
  }
  try {
    const impl = handlers[channel] as (...args: unknown[]) => Promise<InvokeValue<C>> | InvokeValue<C>;
    return { ok: true, value: await impl(...(parsed.data as unknown[])) };
  } catch (error) {
    if (error instanceof IpcError) return { ok: false, error: { code: error.code, message: error.message } };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'failed', message } };
  }
}

/** Registers every contract channel on ipcMain; a channel without a handler is a type error. */
export function registerHandlers(ipcMain: IpcMain, handlers: Handlers, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): void {
  for (const channel of Object.keys(invokeContract) as InvokeChannel[]) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => dispatch(channel, args, () => isTrustedSender(event), handlers));
  }
}
