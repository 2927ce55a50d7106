/**
 * Splits shell-ish text into simple commands of words. Only what a pasted session-log line needs:
 * quotes, backslash escapes, line continuations, and the separators `|`, `||`, `&&`, `;` and
 * newlines. No expansion is performed; `$(...)` stays as text.
 */
export function splitCommands(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;

  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };

  const src = text.replace(/\\\r?\n/g, ' ');
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < src.length) word += src[++i];
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < src.length) {
      word += src[++i];
      inWord = true;
    } else if (c === '\n' || c === '\r' || c === ';') {
      endCommand();
    } else if (c === '|' || (c === '&' && src[i + 1] === '&')) {
      if (src[i + 1] === c) i++;
      endCommand();
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}
