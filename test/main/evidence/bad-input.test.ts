import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BUNDLE_BYTES } from '../../../src-main/fs/read-input-file';
import { cli } from '../../support/run-cli';
import { genuineCeremony, NOW, type Genuine } from './fixture';

/*
 * Every malformed input to `breakglass verify` is one line on stderr and exit 2 (UNREADABLE),
 * with no stack trace: not a verdict on a ceremony, and never a crash or a hang.
 */

let g: Genuine;
let dir: string;
let genuineText: string;
beforeAll(async () => {
  g = await genuineCeremony();
  dir = mkdtempSync(path.join(os.tmpdir(), 'bg-bad-input-'));
  genuineText = readFileSync(g.bundle, 'utf8');
});
afterAll(() => {
  g.recorded.close();
  rmSync(g.dir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, content: string | Uint8Array) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

async function expectRefused(target: string, reason: RegExp, extra: string[] = []) {
  const run = await cli(['verify', target, ...extra], NOW);
  expect(run.code, run.err).toBe(2);
  expect(run.err.length).toBeGreaterThan(0);
  expect(run.err.split('\n'), run.err).toHaveLength(1);
  expect(run.err).not.toMatch(/\n|^\s+at | {4}at /);
  expect(run.err).not.toMatch(/unexpected error/);
  expect(run.err).toMatch(reason);
  expect(run.out).toBe('');
  return run;
}

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('verify: input that is not a bundle', () => {
  it('not JSON', async () => {
    await expectRefused(file('text.bundle.json', 'this is a session log, not a bundle\n'), /is not JSON/);
  });

  it('not UTF-8', async () => {
    await expectRefused(
      file('latin1.bundle.json', Buffer.from([0x7b, 0x22, 0xe9, 0xff, 0xfe, 0x22, 0x7d])),
      /not UTF-8/,
    );
  });

  it('a byte-order mark before an otherwise genuine bundle', async () => {
    await expectRefused(file('bom.bundle.json', `\ufeff${genuineText}`), /byte-order mark/);
  });

  it('a trusted-keys file given as the bundle', async () => {
    await expectRefused(g.trust, /trusted-keys file, not a bundle/);
  });

  it('a format-1 bundle is refused with the reason', async () => {
    const v1 = genuineText.replace('"format_version": 2,', '"format_version": 1,');
    expect(v1).not.toBe(genuineText);
    await expectRefused(file('v1.bundle.json', v1), /format-1 bundle/);
  });

  it('a bundle of a newer format version', async () => {
    await expectRefused(
      file('v9.bundle.json', genuineText.replace('"format_version": 2,', '"format_version": 9,')),
      /format version 9/,
    );
  });

  it('JSON nested 100,000 deep', async () => {
    await expectRefused(file('deep.bundle.json', '['.repeat(100_000)), /not JSON/);
    await expectRefused(file('deep-closed.bundle.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`), /not|bundle/);
  });

  it('nesting 100,000 deep inside a payload of an otherwise genuine bundle', async () => {
    const deep = genuineText.replace(
      '"payload":{"app_version"',
      `"payload":{"deep":${'['.repeat(100_000)}${']'.repeat(100_000)},"app_version"`,
    );
    expect(deep).not.toBe(genuineText);
    const run = await cli(['verify', file('deep-payload.bundle.json', deep)], NOW);
    // Unreadable (2) or a format finding (1); never a crash, never a verdict that vouches for it.
    expect([1, 2]).toContain(run.code);
    expect(run.err).not.toMatch(/unexpected error| {4}at /);
  });

  it('JSON that is not an object, or an object without the bundle format', async () => {
    await expectRefused(file('array.bundle.json', '[]'), /not a Breakglass bundle/);
    await expectRefused(file('null.bundle.json', 'null'), /not a Breakglass bundle/);
    await expectRefused(file('other.bundle.json', '{"format":"something-else"}'), /not a Breakglass bundle/);
  });

  it('a bundle missing a member the schema requires', async () => {
    const b = JSON.parse(genuineText);
    delete b.head;
    await expectRefused(file('nohead.bundle.json', JSON.stringify(b)), /not a well-formed bundle/);
  });

  it('an entry with a member entrySchema does not name, or without one it names', async () => {
    const extra = JSON.parse(genuineText);
    extra.entries[1].note = 'x';
    await expectRefused(
      file('entry-extra.bundle.json', JSON.stringify(extra)),
      /not a well-formed bundle: at entries\.1: unknown member "note"/,
    );
    const missing = JSON.parse(genuineText);
    delete missing.entries[2].recorded_at;
    await expectRefused(
      file('entry-missing.bundle.json', JSON.stringify(missing)),
      /not a well-formed bundle: at entries\.2\.recorded_at: expected text/,
    );
  });
});

describe('verify: paths that are not regular files', () => {
  it('a missing file', async () => {
    await expectRefused(path.join(dir, 'nope.bundle.json'), /no such file/);
  });

  it('a directory', async () => {
    const d = path.join(dir, 'a-directory.bundle.json');
    mkdirSync(d);
    await expectRefused(d, /directory/);
  });

  it.skipIf(!hasCommand('mkfifo'))('a FIFO with no writer is refused without waiting for one', async () => {
    const fifo = path.join(dir, 'pipe.bundle.json');
    execFileSync('mkfifo', [fifo]);
    // Watchdog: should the verifier open the FIFO and wait, this writer (after a long sleep)
    // would release it; the test then sees the watchdog finished first and fails instead of hanging.
    const watchdog = spawn('sh', ['-c', 'sleep 120; exec 3>"$1"; echo "{}" >&3', 'sh', fifo], {
      stdio: 'ignore',
      detached: true,
    });
    let watchdogDone = false;
    watchdog.on('exit', () => (watchdogDone = true));
    try {
      await expectRefused(fifo, /named pipe \(FIFO\)/);
      expect(watchdogDone).toBe(false);
    } finally {
      if (watchdog.pid && !watchdogDone) process.kill(-watchdog.pid, 'SIGKILL');
    }
  });

  it.skipIf(!existsSync('/dev/zero'))('/dev/zero (endless) is refused as a device', async () => {
    await expectRefused('/dev/zero', /character device/);
  });

  it.skipIf(!existsSync('/dev/null'))('/dev/null (empty) is refused as a device', async () => {
    await expectRefused('/dev/null', /character device/);
  });

  it(`a sparse file over the documented cap (${MAX_BUNDLE_BYTES} bytes) is refused naming the cap, before it is read`, async () => {
    const big = file('huge.bundle.json', '');
    truncateSync(big, MAX_BUNDLE_BYTES + 1);
    await expectRefused(big, new RegExp(`${MAX_BUNDLE_BYTES}-byte limit`));
  });

  it('an empty file', async () => {
    await expectRefused(file('empty.bundle.json', ''), /not JSON/);
  });
});

describe('verify: bad trust files are unreadable input too', () => {
  it.each([
    ['not JSON', 'nope'],
    ['another format', '{"format":"x"}'],
    ['a fingerprint that does not match its keys', null],
  ])('a --trusted-keys file that is %s', async (_what, content) => {
    let text = content;
    if (text === null) {
      const t = JSON.parse(readFileSync(g.trust, 'utf8'));
      t.fingerprint = 'apple apple apple apple apple apple apple apple';
      text = JSON.stringify(t);
    }
    await expectRefused(g.bundle, /trusted|fingerprint|JSON|format/, ['--trusted-keys', file('bad-trust.json', text)]);
  });

  it.skipIf(!existsSync('/dev/zero'))('a --trusted-keys path that is a device or a directory', async () => {
    await expectRefused(g.bundle, /character device/, ['--trusted-keys', '/dev/zero']);
    await expectRefused(g.bundle, /directory/, ['--trusted-keys', dir]);
  });
});
