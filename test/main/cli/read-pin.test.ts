import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readPinFromTerminal } from '../../../src-main/cli/read-pin';

/** A stand-in terminal: raw mode is recorded, output is collected. */
function terminal(tty = true) {
  const input = Object.assign(new PassThrough(), {
    isTTY: tty,
    raw: [] as boolean[],
    setRawMode(this: { raw: boolean[] }, on: boolean) {
      this.raw.push(on);
      return this;
    },
  });
  const output = new PassThrough();
  let printed = '';
  output.on('data', (d: Buffer) => (printed += d.toString()));
  return {
    input: input as unknown as NodeJS.ReadStream & { raw: boolean[] },
    output: output as unknown as NodeJS.WriteStream,
    printed: () => printed,
  };
}

describe('reading the key PIN in the CLI', () => {
  it('reads without echo, honours backspace, and leaves raw mode', async () => {
    const t = terminal();
    const pin = readPinFromTerminal('PIN: ', t.input, t.output);
    t.input.write('48x\u007f2');
    t.input.write('1\r');
    expect(await pin).toBe('4821');
    expect(t.printed()).toBe('PIN: \n');
    expect(t.input.raw).toEqual([true, false]);
  });

  it('Ctrl-C cancels; without a terminal it never reads', async () => {
    const t = terminal();
    const pin = readPinFromTerminal('PIN: ', t.input, t.output);
    t.input.write('48\u0003');
    expect(await pin).toBeNull();
    const piped = terminal(false);
    expect(await readPinFromTerminal('PIN: ', piped.input, piped.output)).toBeNull();
    expect(piped.printed()).toBe('');
  });
});
