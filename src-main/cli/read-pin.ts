/**
 * Reads a key's PIN from the terminal without echo. Not a TTY (a pipe, CI): null, so the key
 * service says it cannot ask rather than read a PIN from a file or a script. The characters are
 * collected in an array and joined once; nothing prints them.
 */
export function readPinFromTerminal(
  prompt: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Promise<string | null> {
  if (!input.isTTY || typeof input.setRawMode !== 'function') return Promise.resolve(null);
  return new Promise((resolve) => {
    const chars: string[] = [];
    output.write(prompt);
    input.setRawMode(true);
    input.resume();
    const finish = (value: string | null) => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      resolve(value);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish(chars.join(''));
        // Ctrl-C and Ctrl-D cancel the PIN entry (the step is cancelled, nothing is signed).
        if (ch === '\u0003' || ch === '\u0004') return finish(null);
        if (ch === '\u007f' || ch === '\b') chars.pop();
        else if (ch >= ' ') chars.push(ch);
      }
    };
    input.on('data', onData);
  });
}
