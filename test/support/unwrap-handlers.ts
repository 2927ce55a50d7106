import type { Handlers } from '../../src-main/ipc/handle';
import type { InvokeArgs, InvokeChannel, InvokeValue } from '../../src-shared/ipc/contract';
import type { Result } from '../../src-shared/result';

/** The handlers as a test script drives them: each call gives its value or throws its refusal. */
export type UnwrappedHandlers = { [C in InvokeChannel]: (...args: InvokeArgs<C>) => Promise<InvokeValue<C>> };

/** A refusal a test script did not expect, with its code (tests match on it). */
export class RefusedInTest extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/**
 * Test scripts step a ceremony through many calls and expect each to succeed; a refusal there is
 * a failed test, so it throws (with its code) instead of being passed over. Product code never
 * does this: main and the renderer keep results as values.
 */
export function unwrapHandlers(handlers: Handlers): UnwrappedHandlers {
  return new Proxy({} as UnwrappedHandlers, {
    get(_target, channel: string) {
      return async (...args: unknown[]) => {
        const call = handlers[channel as InvokeChannel] as (...a: unknown[]) => ReturnType<Handlers[InvokeChannel]>;
        const result = await call(...args);
        if (!result.ok) throw new RefusedInTest(result.error.code, result.error.message, result.error.field);
        return result.value;
      };
    },
  });
}

/** A core result a test expects to be a value: the value, or the refusal thrown with its code. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new RefusedInTest(result.error.code, result.error.message, result.error.field);
  return result.value;
}
