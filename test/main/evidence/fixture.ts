import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { builtInConfig } from '../../../src-shared/config/example-config';
import { parseBundle } from '../../../src-main/evidence/parse-bundle';
import { readTrustFile } from '../../../src-main/evidence/read-evidence';
import { verifyEvidence, type EvidenceReport } from '../../../src-main/evidence/verify-evidence';
import { readFileSync } from 'node:fs';
import { recordCeremony, type RecordedCeremony } from '../../support/signed-ceremony';

export const NOW = new Date('2026-11-21T12:00:00.000Z');

/** One genuine root-login ceremony, recorded once per file: the red-team tests forge from copies of it. */
export interface Genuine {
  dir: string;
  bundle: string;
  trust: string;
  recorded: RecordedCeremony;
  notifyCode: string;
  finalCode: string;
}

export async function genuineCeremony(options: { drill?: boolean } = {}): Promise<Genuine> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bg-evidence-'));
  const recorded = await recordCeremony(path.join(dir, 'data'), {
    drill: options.drill,
    start: '2026-11-20T13:00:00.000Z',
    signIn: { at: '2026-11-20T13:06:00.000Z' },
    actions: [
      { at: '2026-11-20T13:10:00.000Z', text: 'ran: aws ec2 describe-instances --instance-ids i-0abc1234def567890' },
      { at: '2026-11-20T13:12:00.000Z', text: 'ran: aws ec2 terminate-instances --instance-ids i-0abc1234def567890' },
    ],
    signOutAt: '2026-11-20T13:30:00.000Z',
  });
  const bundle = recorded.exportTo(dir);
  const trust = recorded.trustFile(dir);
  const state = await recorded.service.getState(recorded.ceremonyId);
  if (!state.ok) throw new Error(state.error.message);
  return {
    dir,
    bundle,
    trust,
    recorded,
    notifyCode: state.value.witness.notify!.text,
    finalCode: state.value.witness.final!.text,
  };
}

/** A fresh copy of the genuine bundle to forge from. */
export function copyOf(g: Genuine, name = 'forged.bundle.json'): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bg-forged-')), name);
  cpSync(g.bundle, file);
  return file;
}

export function verifyFile(file: string, options: { trust?: string; witnesses?: string[] } = {}): EvidenceReport {
  return verifyEvidence(parseBundle(readFileSync(file), file), {
    trust: options.trust ? readTrustFile(options.trust) : undefined,
    witnesses: options.witnesses,
    config: builtInConfig(),
    now: NOW,
  });
}
