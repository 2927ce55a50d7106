import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import independentCanonicalize from 'canonicalize';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInConfig } from '../../../src-shared/config/example-config';
import { witnessFromSignature } from '../../../src-shared/ceremony/witness-code';
import type { Bundle, Checkpoint, JournalEntry } from '../../../src-shared/journal/types';
import { exportCeremony } from '../../../src-main/use-cases/export-ceremony';
import { renderSessionLog } from '../../../src-main/bundle/session-log';
import * as bundleTextModule from '../../../src-main/evidence/bundle-text';
import { renderVerdict } from '../../../src-main/cli/render-verdict';
import { TRUST_FORMAT, TRUST_FORMAT_VERSION, trustFingerprint } from '../../../src-main/evidence/trust-file';
import { VERDICT_EXITS } from '../../../src-main/cli/verdict-exits';
import { verifiedBundleFromFile } from '../../../src-main/evidence/verified-bundle';
import { readTrustFile } from '../../../src-main/evidence/read-evidence';
import { checkpointChallenge } from '../../../src-main/journal/checkpoint-challenge';
import { entryHash } from '../../../src-main/journal/entry-hash';
import { openJournal, type Journal } from '../../../src-main/journal/journal';
import { ReconcileInputError } from '../../../src-main/reconcile/input-error';
import { readReconcileInputs } from '../../../src-main/reconcile/read-inputs';
import { readBundleJson, signLock, writeBundleJson } from '../../support/forger';
import { cli } from '../../support/run-cli';
import { createSoftwareKey, type SoftwareKey } from '../../support/software-key';
import { NOW, verifyFile, type Genuine } from './fixture';
import {
  codeOf,
  forge,
  forgedFile,
  hideTermination,
  loadGenuine,
  logEntry,
  readText,
  resignKeepingWitness,
  respellSignature,
  writeText,
  useGenuineCeremony,
} from './forge-helpers';
import { valueOf } from '../../support/unwrap-handlers';

/*
 * The red team of issue 12: one describe per class of lie a bundle told `verify`, each forgery
 * built from the public docs (docs/journal-format.md: the hash, the checkpoint challenge) the way
 * an outsider, someone with a key of their own, or the key holder would build it.
 */

let g: Genuine;
useGenuineCeremony((genuine) => (g = genuine));

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const pinned = (file: string, witnesses?: string[]) => verifyFile(file, { trust: g.trust, witnesses });
const lockOf = (b: Bundle, step: string) => b.entries.find((e) => e.kind === 'step_locked' && e.payload.step === step)!;
const dropLocks = (b: Bundle, steps: string[]) => {
  b.entries = b.entries.filter((e) => !(e.kind === 'step_locked' && steps.includes(String(e.payload.step))));
  b.checkpoints = b.checkpoints.filter((c) => !steps.includes(c.step));
};

describe('1. the unsigned tail', () => {
  it('dropping the sign-out lock and seal, then rewriting a running-log line, is not INTACT: the rewrite is listed as unsigned', async () => {
    const { file, bundle } = forge(g, (b) => {
      dropLocks(b, ['sign_out', 'seal']);
      hideTermination(b);
    });
    expect(bundle.entries.some((e) => String(e.payload.text ?? '').includes('terminate'))).toBe(false);
    const r = pinned(file, [g.notifyCode]);
    expect(r.verdict).not.toBe('INTACT');
    expect(r.verdict).toBe('INCOMPLETE');
    const edited = logEntry(bundle, 'describe-instances --instance-ids i-0abc1234def567890').seq;
    expect(r.unsigned).not.toBeNull();
    // Every entry after the audit-row lock (the running log included) is listed as unsigned.
    expect(r.unsigned!.from).toBeLessThanOrEqual(edited);
    expect(r.unsigned!.to).toBe(bundle.entries.at(-1)!.seq);
    expect(r.findings.map((f) => f.reason).join('\n')).toMatch(/sign_out is not locked/);
    const run = await cli(['verify', file, '--trusted-keys', g.trust], NOW);
    expect(run.code).toBe(VERDICT_EXITS.INCOMPLETE);
    expect(run.out).toMatch(/UNSIGNED\s+seq \d+\.\.\d+/);
  });

  it('a ceremony cut off right after the audit row is INCOMPLETE', async () => {
    const { file } = forge(g, (b) => {
      const audit = lockOf(b, 'audit_row').seq;
      b.entries = b.entries.slice(0, audit + 1);
      b.checkpoints = b.checkpoints.filter((c) => c.seq < audit);
    });
    const r = pinned(file, [g.notifyCode]);
    expect(r.verdict).toBe('INCOMPLETE');
    expect(r.unsigned).toBeNull(); // the cut is at a tap: what is there is signed, but the ceremony is not finished
    expect(r.findings.map((f) => f.reason).join('\n')).toMatch(/not finished: .*sign_out/);
    expect((await cli(['verify', file, '--trusted-keys', g.trust], NOW)).code).toBe(VERDICT_EXITS.INCOMPLETE);
  });

  it('invented after-care entries appended after the last tap are INCOMPLETE and listed as unsigned', async () => {
    const { file, bundle } = forge(g, (b) => {
      const last = b.entries.at(-1)!;
      const at = '2026-11-20T14:00:00.000Z';
      b.entries.push(
        {
          ...last,
          kind: 'aftercare_evidence',
          payload: { item_id: 'rotate-root-password', text: 'root password rotated', evidence_at: at },
          recorded_at: at,
        },
        {
          ...last,
          kind: 'aftercare_signoff',
          payload: { by: 'taha@example.com', text: 'root password rotated, signed off' },
          recorded_at: at,
        },
        {
          ...last,
          kind: 'note',
          payload: { text: 'after-care complete, signed off by the founders' },
          recorded_at: at,
        },
      );
    });
    const n = bundle.entries.length;
    const r = pinned(file, [g.notifyCode, g.finalCode]);
    expect(r.verdict).not.toBe('INTACT');
    expect(r.unsigned).toEqual({ from: n - 3, to: n - 1 });
    const unsignedFinding = r.findings.find((f) => f.verdict === 'INCOMPLETE' && f.seq === n - 3);
    expect(unsignedFinding?.reason).toMatch(/aftercare_evidence, aftercare_signoff, note/);
    expect(['INCOMPLETE', 'RULES BROKEN']).toContain(r.verdict);
    const run = await cli(
      ['verify', file, '--trusted-keys', g.trust, '--witness', g.notifyCode, '--witness', g.finalCode],
      NOW,
    );
    expect(run.code).not.toBe(0);
    expect(run.out).toContain(`UNSIGNED     seq ${n - 3}..${n - 1}`);
  });

  it('the invented after-care entries alone (a note, which the runbook allows after the seal) give exactly INCOMPLETE', () => {
    const { file, bundle } = forge(g, (b) => {
      const last = b.entries.at(-1)!;
      b.entries.push({
        ...last,
        kind: 'note',
        payload: { text: 'root password rotated, signed off' },
        recorded_at: '2026-11-20T14:00:00.000Z',
      });
    });
    const r = pinned(file, [g.notifyCode, g.finalCode]);
    expect(r.verdict).toBe('INCOMPLETE');
    expect(r.unsigned).toEqual({ from: bundle.entries.length - 1, to: bundle.entries.length - 1 });
  });
});

describe('2. an invented ceremony', () => {
  const invented = () =>
    forge(g, (b) => {
      // The whole story, every tap removed: no checkpoints, no keys.
      b.entries = b.entries.filter((e) => e.kind !== 'step_locked');
      for (const e of b.entries) if (e.kind === 'founder_notified') e.payload = { ...e.payload, witness_seq: 0 };
      b.checkpoints = [];
      b.keys = [];
    });
  const bare = () =>
    forge(g, (b) => {
      b.entries = b.entries.slice(0, 1);
      b.checkpoints = [];
      b.keys = [];
    });

  it('a ceremony with no checkpoints and no keys is never INTACT, with or without pins', async () => {
    for (const { file } of [invented(), bare()]) {
      for (const r of [verifyFile(file), pinned(file), pinned(file, [g.notifyCode, g.finalCode])]) {
        expect(r.verdict).not.toBe('INTACT');
        expect(r.verdict).not.toBe('DRILL INTACT');
        expect(r.verdict).not.toBe('ORIGIN NOT VERIFIED');
      }
      expect((await cli(['verify', file], NOW)).code).not.toBe(0);
      expect((await cli(['verify', file, '--trusted-keys', g.trust], NOW)).code).not.toBe(0);
    }
    expect(
      pinned(bare().file)
        .findings.map((f) => f.reason)
        .join('\n'),
    ).toMatch(/no key tap signs any entry/);
  });

  it('an empty trusted list is refused: one line, exit 2', async () => {
    const empty = forgedFile('trusted-keys.json');
    writeFileSync(
      empty,
      `${JSON.stringify({ format: TRUST_FORMAT, format_version: TRUST_FORMAT_VERSION, fingerprint: trustFingerprint([]), keys: [] }, null, 2)}\n`,
    );
    for (const bundle of [invented().file, g.bundle]) {
      const run = await cli(['verify', bundle, '--trusted-keys', empty], NOW);
      expect(run.code).toBe(2);
      expect(run.err.split('\n')).toHaveLength(1);
      expect(run.err).toMatch(/empty/);
    }
  });
});

/** Locks a step as ceremony-service does: the step_locked payload records the signature too. */
function lockSigned(journal: Journal, id: string, step: string, key: SoftwareKey, at: string): Checkpoint {
  const head = journal.head(id)!;
  const cdh = checkpointChallenge({ ceremony_id: id, seq: head.seq, head_hash: head.hash, step });
  const signed = key.sign(cdh);
  const cp: Checkpoint = {
    ceremony_id: id,
    seq: head.seq,
    head_hash: head.hash,
    step,
    client_data_hash: cdh.toString('hex'),
    credential_id: key.enrolled.credential_id,
    ...signed,
    created_at: at,
  };
  journal.appendLocked(
    id,
    'step_locked',
    {
      step,
      checkpoint: {
        seq: cp.seq,
        head_hash: cp.head_hash,
        credential_id: cp.credential_id,
        sign_count: cp.sign_count,
        client_data_hash: cp.client_data_hash,
        signature: cp.signature,
      },
    },
    cp,
  );
  return cp;
}

describe('3. the runbook', () => {
  it('a genuinely signed ceremony that locked sign-in before the founders were told, with no SSO check and no audit row, is RULES BROKEN', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-redteam-rules-'));
    let now = Date.parse('2026-11-20T15:00:00.000Z');
    const at = () => new Date(now).toISOString();
    const tick = () => (now += 60_000);
    const journal = openJournal({ dataDir: path.join(dir, 'data'), clock: () => new Date(now) });
    try {
      const key = g.recorded.key; // the real, pinned key signs every lock: only the order is wrong
      const genuine = loadGenuine(g);
      const payloadOf = (kind: string) => structuredClone(genuine.entries.find((e) => e.kind === kind)!.payload);
      const id = 'bg-20261120-0badc0de';
      journal.append(id, 'ceremony_started', payloadOf('ceremony_started'));
      tick();
      journal.append(id, 'scenario_selected', payloadOf('scenario_selected'));
      const scenarioLock = lockSigned(journal, id, 'scenario', key, at());
      tick();
      // No sso_probe. Sign-in straight away, locked before any founder is notified.
      journal.append(id, 'account_selected', payloadOf('account_selected'));
      journal.append(id, 'signed_in', { ...payloadOf('signed_in'), signed_in_at: at() });
      lockSigned(journal, id, 'sign_in', key, at());
      tick();
      const code = witnessFromSignature(scenarioLock)!;
      for (const f of [
        { contact_id: 'asad', name: 'Asad' },
        { contact_id: 'ian', name: 'Ian' },
      ]) {
        journal.append(id, 'founder_notified', {
          ...f,
          channel: 'text',
          notified_at: at(),
          acknowledged: true,
          acknowledged_at: at(),
          witness_code: code.text,
          witness_seq: code.seq,
          witness_head_hash: code.head_hash,
          witness_from: 'signature',
        });
      }
      lockSigned(journal, id, 'notify', key, at());
      tick();
      // No agent_audit_log row, no audit_row lock.
      journal.append(id, 'action_logged', { ...payloadOf('action_logged'), logged_at: at() });
      tick();
      journal.append(id, 'minimal_action_done', payloadOf('minimal_action_done'));
      tick();
      journal.append(id, 'signed_out', { ...payloadOf('signed_out'), signed_out_at: at() });
      lockSigned(journal, id, 'sign_out', key, at());
      tick();
      lockSigned(journal, id, 'seal', key, at());
      const exported = valueOf(
        exportCeremony({
          journal,
          ceremonyId: id,
          outDir: dir,
          keys: [key.enrolled],
          now: new Date(now),
          config: builtInConfig(),
        }),
      );
      const r = pinned(exported.bundlePath);
      expect(r.verdict).toBe('RULES BROKEN');
      const reasons = r.findings
        .filter((f) => f.verdict === 'RULES BROKEN')
        .map((f) => f.reason)
        .join('\n');
      expect(reasons).toMatch(/sign_in/);
      const run = await cli(['verify', exported.bundlePath, '--trusted-keys', g.trust], NOW);
      expect(run.code).toBe(VERDICT_EXITS['RULES BROKEN']);
    } finally {
      journal.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('recorded_at running from 2099 back to 1999, re-signed with the real key, is RULES BROKEN', async () => {
    const { file, bundle } = forge(
      g,
      (b) => {
        const n = b.entries.length;
        b.entries.forEach((e, i) => {
          const year = 2099 - Math.round((100 * i) / (n - 1));
          e.recorded_at = `${year}-11-20T13:00:00.000Z`;
        });
      },
      { resign: g.recorded.key },
    );
    expect(bundle.entries[0]!.recorded_at.startsWith('2099')).toBe(true);
    expect(bundle.entries.at(-1)!.recorded_at.startsWith('1999')).toBe(true);
    const r = pinned(file);
    expect(r.verdict).toBe('RULES BROKEN');
    expect(r.findings.map((f) => f.reason).join('\n')).toMatch(/earlier than the entry before it/);
    expect((await cli(['verify', file, '--trusted-keys', g.trust], NOW)).code).toBe(VERDICT_EXITS['RULES BROKEN']);
  });

  it('recorded_at running backwards inside a plausible day is RULES BROKEN too (not only the verifier-future check)', () => {
    const { file } = forge(
      g,
      (b) => {
        const e = logEntry(b, 'terminate-instances');
        e.recorded_at = '2026-11-20T13:05:00.000Z'; // before the entry before it
      },
      { resign: g.recorded.key },
    );
    const r = pinned(file);
    expect(r.verdict).toBe('RULES BROKEN');
  });
});

describe('4. origin', () => {
  const fresh = () => {
    const k = createSoftwareKey({ rpId: 'breakglass.local', operator: 'taha@example.com' });
    k.setCounter(1000);
    return forge(g, hideTermination, { resign: k });
  };

  it('rewritten and re-signed with a freshly made key: ORIGIN NOT VERIFIED without pins (exit 5, never 0), TAMPERED with the real pins', async () => {
    const { file } = fresh();
    const open = verifyFile(file);
    expect(open.verdict).toBe('ORIGIN NOT VERIFIED');
    const run = await cli(['verify', file], NOW);
    expect(run.code).toBe(5);
    expect(run.code).not.toBe(0);
    expect(run.out.split('\n')[0]).toMatch(/^ORIGIN NOT VERIFIED: /);
    const withPins = pinned(file);
    expect(withPins.verdict).toBe('TAMPERED');
    expect(withPins.findings.map((f) => f.reason).join('\n')).toMatch(/not a pinned key/);
    expect((await cli(['verify', file, '--trusted-keys', g.trust], NOW)).code).toBe(VERDICT_EXITS.TAMPERED);
  });

  it('the bundle itself as --trusted-keys is refused: exit 2, one line', async () => {
    const { file } = fresh();
    for (const [bundle, trust] of [
      [file, file],
      [g.bundle, g.bundle],
    ]) {
      const run = await cli(['verify', bundle!, '--trusted-keys', trust!], NOW);
      expect(run.code).toBe(2);
      expect(run.err.split('\n')).toHaveLength(1);
      expect(run.err).toMatch(/is a bundle, not a trusted-keys file/);
    }
  });
});

describe('5. the key holder', () => {
  it("a running-log line rewritten and re-signed with the REAL key is internally consistent, but the founders' codes say TAMPERED", async () => {
    const { file } = forge(g, hideTermination, { resign: g.recorded.key });
    const quiet = pinned(file);
    // Everything the file says about itself holds: only what the founders wrote down can tell.
    expect(quiet.findings.filter((f) => f.verdict !== 'ORIGIN NOT VERIFIED')).toEqual([]);
    const runQuiet = await cli(['verify', file, '--trusted-keys', g.trust], NOW);
    expect(runQuiet.out).toMatch(/witnesses\s+not checked/);
    // The codes the history now carries are not the ones read out on the day.
    expect(quiet.witnesses.notify!.text).not.toBe(g.notifyCode);
    expect(quiet.witnesses.final!.text).not.toBe(g.finalCode);
    const checked = pinned(file, [g.notifyCode, g.finalCode]);
    expect(checked.verdict).toBe('TAMPERED');
    expect(checked.witnesses.checked.map((c) => c.matched)).toEqual([null, null]);
    const run = await cli(
      ['verify', file, '--trusted-keys', g.trust, '--witness', g.notifyCode, '--witness', g.finalCode],
      NOW,
    );
    expect(run.code).toBe(VERDICT_EXITS.TAMPERED);
    // Even the final code alone catches an edit after the notify lock.
    expect(pinned(file, [g.finalCode]).verdict).toBe('TAMPERED');
  });

  it('a careful key holder who keeps the taps before the edit: the notify code still matches, the final code does not', () => {
    // Re-sign only the locks after the edited line, so the scenario lock (the notify code) is untouched.
    const b = loadGenuine(g);
    hideTermination(b);
    const edited = logEntry(b, 'describe-instances --instance-ids i-0abc1234def567890').seq;
    const resigned = resignAfter(b, g.recorded.key, edited - 1);
    expect(resigned.checkpoints.filter((c) => c.seq < edited)).toEqual(
      loadGenuine(g).checkpoints.filter((c) => c.seq < edited),
    );
    const file = forgedFile();
    writeBundleJson(file, resigned);
    // The notify code alone cannot see an edit made after it (the threat model's limit) ...
    const notifyOnly = pinned(file, [g.notifyCode]);
    expect(notifyOnly.witnesses.notify!.text).toBe(g.notifyCode);
    expect(notifyOnly.witnesses.checked.map((c) => c.matched)).toEqual(['notify']);
    // ... the code read out at sign-out can.
    const both = pinned(file, [g.notifyCode, g.finalCode]);
    expect(both.verdict).toBe('TAMPERED');
    expect(both.witnesses.checked.map((c) => c.matched)).toEqual(['notify', null]);
  });

  it("a witness code text that is not the one recomputed from the lock's signature is TAMPERED", () => {
    const b = loadGenuine(g);
    const n = b.entries.find((e) => e.kind === 'founder_notified')!;
    n.payload = { ...n.payload, witness_code: 'amber falcon river quartz 1' };
    resignKeepingWitness(b, g.recorded.key);
    const file = forgedFile();
    writeBundleJson(file, b);
    const r = pinned(file);
    expect(r.verdict).toBe('TAMPERED');
    expect(r.findings.map((f) => f.reason).join('\n')).toMatch(/is not the code of the key tap/);
  });

  it.each([
    ['witness_seq as a string', { witness_seq: '1' }],
    ['witness_head_hash as a number', { witness_head_hash: 12345 }],
    ['witness_code as an array', { witness_code: ['velvet', 'frost'] }],
    ['witness_from as true', { witness_from: true }],
    ['witness_seq as null', { witness_seq: null }],
  ])('founder_notified with %s is not INTACT', (_what, change) => {
    const b = loadGenuine(g);
    for (const n of b.entries.filter((e) => e.kind === 'founder_notified'))
      n.payload = { ...n.payload, ...(change as unknown as Record<string, never>) };
    resignKeepingWitness(b, g.recorded.key);
    const file = forgedFile();
    writeBundleJson(file, b);
    const r = pinned(file, [codeOf(b.checkpoints[0]!)]);
    expect(r.verdict).not.toBe('INTACT');
    expect(['TAMPERED', 'RULES BROKEN']).toContain(r.verdict);
  });

  it('respelling a checkpoint signature as (r, n - s) does not change its witness code: codes derive from r', () => {
    const b = loadGenuine(g);
    for (const cp of b.checkpoints) {
      const respelled = respellSignature(cp.signature);
      expect(respelled).not.toBe(cp.signature);
      expect(witnessFromSignature({ ...cp, signature: respelled })!.text).toBe(witnessFromSignature(cp)!.text);
    }
    expect(codeOf(b.checkpoints.find((c) => c.step === 'scenario')!)).toBe(g.notifyCode);
    expect(codeOf(b.checkpoints.find((c) => c.step === 'sign_out')!)).toBe(g.finalCode);
  });

  it("an outsider respelling the sign-out signature cannot make the founders' codes disagree, and the respelled checkpoint alone is TAMPERED", () => {
    // Only the checkpoint table respelled: the step_locked entry still records the original signature.
    const { file } = forge(
      g,
      (b) => {
        const cp = b.checkpoints.find((c) => c.step === 'sign_out')!;
        cp.signature = respellSignature(cp.signature);
      },
      'none',
    );
    const r = pinned(file, [g.notifyCode, g.finalCode]);
    expect(r.verdict).toBe('TAMPERED');
    expect(r.findings.map((f) => f.reason).join('\n')).toMatch(/records another signature/);
  });
});

describe('6. unbound fields', () => {
  it('the top-level drill flag flipped is TAMPERED', async () => {
    const { file } = forge(g, (b) => (b.drill = true), 'none');
    const r = pinned(file, [g.notifyCode, g.finalCode]);
    expect(r.verdict).toBe('TAMPERED');
    expect(r.drill).toBe(false);
    expect(r.findings.map((f) => f.reason).join('\n')).toMatch(/top-level "drill"/);
    const run = await cli(['verify', file, '--trusted-keys', g.trust], NOW);
    expect(run.code).toBe(VERDICT_EXITS.TAMPERED);
    expect(run.out).not.toMatch(/no AWS credential used/);
  });

  it("a key's operator and label edited in the bundle: with pins the rendered lines show the pinned operator", () => {
    const { file } = forge(
      g,
      (b) => {
        b.keys[0]!.operator = 'mallory@evil.example';
        b.keys[0]!.label = 'backup';
      },
      'none',
    );
    const r = pinned(file, [g.notifyCode, g.finalCode]);
    const text = renderVerdict(r, { rulesSource: 'test' }).join('\n');
    expect(text).not.toContain('mallory');
    expect(text).toMatch(/key\s+primary \S+… \(taha@example\.com, pinned\)/);
    expect(r.keys[0]).toMatchObject({ operator: 'taha@example.com', label: 'primary', pinned: true });
  });

  it('two key records for one credential id (base64 and base64url spellings of the same bytes) are TAMPERED', () => {
    const { file } = forge(
      g,
      (b) => {
        const k = b.keys[0]!;
        const base64 = Buffer.from(k.credential_id, 'base64url').toString('base64');
        expect(base64).not.toBe(k.credential_id);
        const soft = createSoftwareKey({ rpId: 'breakglass.local' });
        b.keys.push({ ...soft.enrolled, credential_id: base64, operator: 'taha@example.com' });
      },
      'none',
    );
    for (const r of [verifyFile(file), pinned(file, [g.notifyCode, g.finalCode])]) expect(r.verdict).toBe('TAMPERED');
  });

  it("the same credential id twice, literally (one of them a software key's public key), is TAMPERED", () => {
    const { file } = forge(
      g,
      (b) => {
        const soft = createSoftwareKey({ rpId: 'breakglass.local' });
        b.keys.unshift({ ...soft.enrolled, credential_id: b.keys[0]!.credential_id, operator: 'taha@example.com' });
      },
      'none',
    );
    const r = pinned(file, [g.notifyCode, g.finalCode]);
    expect(r.verdict).toBe('TAMPERED');
    expect(r.findings.map((f) => f.reason).join('\n')).toMatch(/two key records for one credential/);
    expect(verifyFile(file).verdict).toBe('TAMPERED');
  });

  it.each([
    ['another counter', (cp: Record<string, unknown>) => (cp.sign_count = 99)],
    ['another key', (cp: Record<string, unknown>) => (cp.credential_id = createSoftwareKey().enrolled.credential_id)],
    ['another head', (cp: Record<string, unknown>) => (cp.head_hash = 'ab'.repeat(32))],
    ['another seq', (cp: Record<string, unknown>) => (cp.seq = 3)],
  ])('a step_locked payload naming %s than its checkpoint is TAMPERED', (_what, change) => {
    // The seal's lock is the last entry: no later checkpoint signs it, so only the binding can catch it.
    const { file } = forge(g, (b) => {
      const lock = lockOf(b, 'seal');
      const cp = { ...(lock.payload.checkpoint as Record<string, unknown>) };
      change(cp);
      lock.payload = { ...lock.payload, checkpoint: cp as never };
    });
    const r = pinned(file, [g.notifyCode, g.finalCode]);
    expect(r.verdict).toBe('TAMPERED');
  });

  it('exported_at and checkpoint created_at never appear in the rendered verdict', async () => {
    const { file } = forge(
      g,
      (b) => {
        b.exported_at = '2031-07-04T04:04:04.004Z';
        b.checkpoints.forEach((c, i) => (c.created_at = `2030-0${i + 1}-0${i + 1}T0${i}:00:00.000Z`));
      },
      'none',
    );
    const r = pinned(file, [g.notifyCode, g.finalCode]);
    const text = renderVerdict(r, { rulesSource: 'test' }).join('\n');
    expect(text).not.toMatch(/2031|2030/);
    const run = await cli(['verify', file, '--trusted-keys', g.trust], NOW);
    expect(`${run.out}\n${run.err}`).not.toMatch(/2031|2030/);
  });
});

describe('7. the terminal', () => {
  const EVIL = 'taha\u001b[2J\u001b[H INTACT\rok\u009b31m \u202eevil';
  // eslint-disable-next-line no-control-regex -- the point: none of these may reach the terminal
  const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it('control characters, CR, a C1 CSI and a bidi override in an operator field and a running-log line never reach the terminal', async () => {
    const soft = createSoftwareKey({ rpId: 'breakglass.local', operator: EVIL });
    soft.setCounter(2000);
    const { file } = forge(
      g,
      (b) => {
        const start = b.entries[0]!;
        start.payload = { ...start.payload, operator: { id: EVIL, name: EVIL } };
        const e = logEntry(b, 'terminate-instances');
        e.payload = { ...e.payload, text: `${EVIL} ran nothing` };
      },
      { resign: soft },
    );
    // Also a raw key-record operator field after signing (not hashed, still printed as an unpinned claim).
    const b = readBundleJson(file);
    b.keys[0]!.operator = EVIL;
    writeBundleJson(file, b);
    for (const argv of [
      ['verify', file],
      ['verify', file, '--trusted-keys', g.trust],
    ]) {
      const run = await cli(argv, NOW);
      const all = `${run.out}\n${run.err}`;
      expect(all).not.toMatch(RAW);
      expect(all).not.toContain('\u001b');
      expect(all).not.toContain('\r');
      expect(all).not.toContain('\u009b');
      expect(all).not.toContain('\u202e');
    }
    const open = await cli(['verify', file], NOW);
    expect(open.out).toContain('\\u001b');
    expect(open.out).toContain('\\u202e');
  });
});

describe('8. parsing: the file must show exactly what is hashed', () => {
  /**
   * A key-holder forgery whose parsed value is consistent (hashes and signatures recomputed over
   * what JSON.parse yields), written with one trick in the line of the edited entry.
   */
  const trick = (
    edit: (b: Bundle) => JournalEntry,
    spell: (line: string) => string,
    hash?: (e: Omit<JournalEntry, 'hash'>) => string,
  ) => {
    const b = loadGenuine(g);
    const target = edit(b);
    resignKeepingWitness(b, g.recorded.key, hash);
    const file = forgedFile();
    if (hash) {
      // This project's canonical writer refuses the value; the attacker writes the line by hand.
      const { bundleText } = bundleTextModule;
      writeText(
        file,
        bundleText(
          b,
          b.entries.map((e) => independentCanonicalize(e.payload)!),
        ),
      );
    } else writeBundleJson(file, b);
    const lines = readText(file).split('\n');
    const at = lines.findIndex((l) => l.includes(`"seq":${target.seq},"kind":"${target.kind}"`));
    expect(at).toBeGreaterThan(0);
    const spelled = spell(lines[at]!);
    expect(spelled).not.toBe(lines[at]);
    lines[at] = spelled;
    writeText(file, lines.join('\n'));
    return file;
  };
  const expectTamperedFormat = async (file: string) => {
    const r = pinned(file, [g.notifyCode, g.finalCode]);
    expect(r.verdict).toBe('TAMPERED');
    expect(r.findings[0]!.reason).toMatch(/^format: /);
    const run = await cli(['verify', file, '--trusted-keys', g.trust], NOW);
    expect(run.code).not.toBe(0);
    expect([VERDICT_EXITS.TAMPERED, VERDICT_EXITS.UNREADABLE]).toContain(run.code);
  };
  const terminate = (b: Bundle) => logEntry(b, 'terminate-instances');

  it('a duplicate member name (a reader sees one text, JSON.parse keeps the other)', async () => {
    const file = trick(
      (b) => {
        const e = terminate(b);
        e.payload = { ...e.payload, text: 'ran: aws ec2 terminate-instances --instance-ids i-0abc1234def567890' };
        return e;
      },
      (line) => line.replace('"text":"ran:', '"text":"ran: aws ec2 describe-instances (read only)","text":"ran:'),
    );
    await expectTamperedFormat(file);
  });

  it('a "__proto__" member (dropped or kept differently by readers)', async () => {
    const file = trick(terminate, (line) =>
      line.replace('"payload":{', '"payload":{"__proto__":{"text":"ran: nothing"},'),
    );
    await expectTamperedFormat(file);
  });

  it('a \\u-escaped character where the canonical text has the character itself', async () => {
    const file = trick(terminate, (line) =>
      line.replace('"text":"ran: aws ec2 terminate', '"text":"ran: aws ec2 \\u0074erminate'),
    );
    await expectTamperedFormat(file);
  });

  it.each([
    ['N.0', (n: string) => `${n}.0`],
    ['NeN', (n: string) => `${n}e0`],
    ['NE0', (n: string) => `${n}E0`],
    ['N.00', (n: string) => `${n}.00`],
    ['0.Ne1', (n: string) => `0.${n}e${n.length}`],
  ])('a non-canonical number spelling (%s) of the same counter', async (_name, spelling) => {
    let respelled = '';
    const file = trick(
      (b) => lockOf(b, 'seal'),
      (line) => line.replace(/"sign_count":(\d+)/, (_m, n: string) => (respelled = `"sign_count":${spelling(n)}`)),
    );
    // Same value: JSON.parse reads the same counter, so hashes and signature still hold for what is parsed.
    const parsedLine = readText(file)
      .split('\n')
      .find((l) => l.includes(respelled))!;
    expect(JSON.parse(parsedLine.replace(/,$/, '')).payload.checkpoint.sign_count).toBe(
      Number(respelled.split(':')[1]),
    );
    await expectTamperedFormat(file);
  });

  it('an integer beyond 2^53, hashed by an independent RFC 8785 library', async () => {
    const file = trick(
      (b) => {
        const e = terminate(b);
        // 2^53 + 1 is not a double: JSON.parse reads the file's 9007199254740993 as 2^53, which is what gets hashed.
        e.payload = { ...e.payload, instance_count: 2 ** 53 };
        return e;
      },
      (line) => line.replace('9007199254740992', '9007199254740993'),
      (e) => sha256(independentCanonicalize(e)!),
    );
    await expectTamperedFormat(file);
  });

  it('an integer beyond 2^53 spelled exactly as JCS would print it is still refused (I-JSON)', async () => {
    const b = loadGenuine(g);
    const e = terminate(b);
    e.payload = { ...e.payload, instance_count: 2 ** 60 };
    resignKeepingWitness(b, g.recorded.key, (x) => sha256(independentCanonicalize(x)!));
    const file = forgedFile();
    writeText(
      file,
      bundleTextModule.bundleText(
        b,
        b.entries.map((x) => independentCanonicalize(x.payload)!),
      ),
    );
    await expectTamperedFormat(file);
  });

  it('a lone surrogate (escaped \\ud800), hashed the way a naive JCS does (sorted keys + JSON.stringify)', async () => {
    // Implementations differ here (some refuse a lone surrogate, some escape it): I-JSON forbids it.
    const b = loadGenuine(g);
    const e = terminate(b);
    e.payload = { ...e.payload, text: `ran: aws ec2 describe-instances \ud800` };
    resignKeepingWitness(b, g.recorded.key, (x) => sha256(naiveJcs(x)));
    const file = forgedFile();
    const text = bundleTextModule.bundleText(
      b,
      b.entries.map((x) => naiveJcs(x.payload)),
    );
    expect(text).toContain('\\ud800');
    writeText(file, text);
    await expectTamperedFormat(file);
  });
});

/** Sorted members, JSON.stringify for the rest: what a quick port of the documented hash does. */
function naiveJcs(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(naiveJcs).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${naiveJcs(o[k])}`)
    .join(',')}}`;
}

describe('9. other readers: reconcile', () => {
  const options = () => ({
    trust: readTrustFile(g.trust),
    witnesses: [g.notifyCode, g.finalCode],
    config: builtInConfig(),
    now: NOW,
  });

  it.each([
    ['TAMPERED', () => forge(g, hideTermination).file],
    [
      'TAMPERED (key holder, caught by the written codes)',
      () => forge(g, hideTermination, { resign: g.recorded.key }).file,
    ],
    [
      'RULES BROKEN',
      () =>
        forge(
          g,
          (b) => {
            const e = logEntry(b, 'terminate-instances');
            e.recorded_at = '2026-11-20T13:05:00.000Z';
          },
          { resign: g.recorded.key },
        ).file,
    ],
  ])('a bundle that verifies as %s is refused with a ReconcileInputError naming the verdict', (name, make) => {
    const file = make();
    const verified = verifiedBundleFromFile(
      file,
      name.startsWith('RULES') ? { ...options(), witnesses: [] } : options(),
    );
    expect(verified.report.verdict).toBe(name.split(' (')[0]);
    let error: unknown;
    try {
      readReconcileInputs({ bundle: verified, cloudtrail: [] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReconcileInputError);
    expect((error as Error).message).toContain(verified.report.verdict);
  });

  it('the genuine bundle gets past the evidence gate (it then asks for CloudTrail files)', () => {
    const verified = verifiedBundleFromFile(g.bundle, options());
    expect(verified.report.verdict).toBe('INTACT');
    expect(() => readReconcileInputs({ bundle: verified, cloudtrail: [] })).toThrow(/cloudtrail/i);
  });
});

describe('10. documents: the session log', () => {
  const HOSTILE = [
    'ran: aws ec2 describe-instances',
    '',
    '## What was changed',
    '',
    'Nothing that changes AWS state was logged.',
    '',
    '<!-- the real actions follow, hidden:',
  ].join('\n');

  it.each([
    ['a forged heading and an unclosed comment', HOSTILE],
    ['raw HTML', 'ran: <details><summary>nothing</summary><script>x</script> <img src=x onerror=alert(1)>'],
    [
      'a heading on one line',
      '# What was changed\r\n## What was changed\u2028Nothing that changes AWS state was logged.',
    ],
  ])('a running-log line with %s cannot create a heading, a comment or raw HTML', (_what, hostile) => {
    const b = loadGenuine(g);
    const first = logEntry(b, 'describe-instances');
    first.payload = { ...first.payload, text: hostile };
    const md = renderSessionLog(b);
    const lines = md.split('\n');
    expect(lines.filter((l) => /^\s{0,3}#{1,6}\s*What was changed/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /^\s{0,3}Nothing that changes AWS state/.test(l))).toHaveLength(0);
    expect(md).not.toContain('<!--');
    expect(md).not.toContain('<');
    // The real change is still listed under the real heading.
    const changed = md.slice(md.indexOf('## What was changed'));
    expect(changed).toMatch(/TerminateInstances/);
  });
});

/** Re-signs every lock after seq `from` with `key` (the entries up to `from` keep their hashes and taps). */
function resignAfter(b: Bundle, key: SoftwareKey, from: number): Bundle {
  let prev = b.entries[from]!.hash;
  const kept = b.checkpoints.filter((c) => c.seq < from);
  const fresh: Checkpoint[] = [];
  for (let i = from + 1; i < b.entries.length; i++) {
    const e = b.entries[i]!;
    if (e.kind === 'step_locked') fresh.push(signLock(b, i, key));
    e.prev_hash = prev;
    e.hash = entryHash({
      ceremony_id: e.ceremony_id,
      seq: e.seq,
      kind: e.kind,
      payload: e.payload,
      recorded_at: e.recorded_at,
      prev_hash: e.prev_hash,
    });
    prev = e.hash;
  }
  b.checkpoints = [...kept, ...fresh];
  b.head = { seq: b.entries.at(-1)!.seq, hash: prev };
  return b;
}
