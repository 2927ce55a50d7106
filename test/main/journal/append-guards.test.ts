import { describe, expect, it } from 'vitest';
import { JournalClockError, JournalError, openJournal } from '../../../src-main/journal/journal';
import { redact } from '../../../src-main/aws/classify-probe-error';
import { describeTapFailure } from '../../../src-main/ceremony/step-signer';
import { useTempDir } from '../../support/temp-dir';

const tempDir = useTempDir('breakglass-append-guards-');

describe('journal append guards', () => {
  it('refuses an entry earlier than the head, naming the clock, and writes nothing', () => {
    let now = '2026-11-21T09:00:00.000Z';
    const journal = openJournal({ dataDir: tempDir(), clock: () => new Date(now), clockName: 'the test clock' });
    journal.append('cer-time', 'note', { text: 'first' });
    now = '2026-11-21T09:00:00.000Z';
    expect(journal.append('cer-time', 'note', { text: 'same instant is fine' }).seq).toBe(1);
    now = '2026-11-21T08:59:59.999Z';
    let error: unknown;
    try {
      journal.append('cer-time', 'note', { text: 'set back' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JournalClockError);
    expect((error as Error).message).toBe(
      'the test clock reads 2026-11-21T08:59:59.999Z, earlier than the last entry of ceremony cer-time (seq 1, recorded at 2026-11-21T09:00:00.000Z); nothing was written. Set the test clock right (or wait until it passes 2026-11-21T09:00:00.000Z) and try again.',
    );
    expect(journal.entries('cer-time')).toHaveLength(2);
    // Another ceremony has its own head: the guard is per ceremony.
    expect(journal.append('cer-other', 'note', { text: 'ok' }).seq).toBe(0);
    journal.close();
  });

  it('refuses text with a lone UTF-16 surrogate, naming where it is, and writes nothing', () => {
    const journal = openJournal({ dataDir: tempDir() });
    expect(() => journal.append('cer-u', 'note', { text: 'fine 😀', nested: { list: ['ok', 'bad \ud83d'] } })).toThrow(
      new JournalError(
        "the note entry's text at nested.list[1] holds a lone UTF-16 surrogate, which is not valid Unicode; nothing was written (replace it with U+FFFD where the text came in)",
      ),
    );
    expect(journal.entries('cer-u')).toHaveLength(0);
    journal.close();
  });

  it('error texts cut at 500 units never end in half a surrogate pair (SSO probe and tap failures)', () => {
    // Words, not one long token: the redactor replaces runs of 60+ key-like characters.
    const words = 'no route '.repeat(60).slice(0, 499);
    const message = `${words}😀 and more`;
    expect(redact(message)).toBe(words);
    expect(describeTapFailure(new Error(message)).reason).toBe(words);
    expect(redact('lone \udc00 here')).toBe('lone \ufffd here');
  });
});
