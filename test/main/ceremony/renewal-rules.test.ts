import { describe, expect, it } from 'vitest';
import type { CeremonyState } from '../../../src-shared/ceremony/state-types';
import { useTempDir } from '../../support/temp-dir';
import { makeService, manualClock, softwareSigner } from './service-fixture';

type R = { ok: true; value: CeremonyState } | { ok: false; error: { code: string; message: string } };
function ok(r: R): CeremonyState {
  if (!r.ok) throw new Error(`refused (${r.error.code}): ${r.error.message}`);
  return r.value;
}

const EVIDENCE = {
  incident_ref: 'INC-2026-05-20-009',
  blocker: 'standard role lacks iam:UpdateAssumeRolePolicy on IRSA roles',
  approver: '@alice',
  cleanup_owner: '@bob',
};
const STS = JSON.stringify({
  Credentials: {
    AccessKeyId: 'ASIAPASTEDKEY0000001',
    SecretAccessKey: 'x'.repeat(40),
    SessionToken: 'y'.repeat(60),
    Expiration: '2026-05-20T14:00:00Z',
  },
  AssumedRoleUser: {
    AssumedRoleId: 'AROAX:taha',
    Arn: 'arn:aws:sts::039624954211:assumed-role/breakglass-emergency/taha',
  },
});

describe('renewing a breakglass role session (cleanup runbook: a renewal is a separate incident)', () => {
  const tempDir = useTempDir();

  async function upToRoleSession(service: ReturnType<typeof makeService>['service'], lock: boolean): Promise<string> {
    const id = ok(await service.start({ type: 'breakglass-role', drill: false })).ceremony_id;
    ok(
      await service.selectScenario(id, {
        scenario_id: 'p0-role',
        evidence: EVIDENCE,
        reason: 'P0 IRSA lockout blocks every deploy',
      }),
    );
    ok(await service.lockStep(id, { step: 'scenario' }));
    for (const contact_id of ['asad', 'ian'])
      ok(await service.notifyFounder(id, { contact_id, channel: 'text', acknowledged: true }));
    ok(await service.lockStep(id, { step: 'notify' }));
    ok(await service.recordRoleSession(id, { source: 'sts', assume_role_output: STS }));
    if (lock) ok(await service.lockStep(id, { step: 'role_session' }));
    return id;
  }

  it('links only to a role session that was locked with a tap', async () => {
    const { service, journal } = makeService(tempDir(), { clock: manualClock(), signer: softwareSigner().signer });
    const bare = ok(await service.start({ type: 'breakglass-role', drill: false })).ceremony_id;
    expect(await service.start({ type: 'breakglass-role', drill: false, linked_ceremony_id: bare })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('recorded its role session') },
    });
    ok(await service.abort(bare, { reason: 'started only to show a link needs a role session' }));
    const unlocked = await upToRoleSession(service, false);
    const refused = await service.start({ type: 'breakglass-role', drill: false, linked_ceremony_id: unlocked });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringContaining('locked it with a tap') },
    });
    journal.close();
    const other = makeService(tempDir(), { clock: manualClock(), signer: softwareSigner().signer });
    const locked = await upToRoleSession(other.service, true);
    expect(
      ok(await other.service.start({ type: 'breakglass-role', drill: false, linked_ceremony_id: locked }))
        .linked_ceremony_id,
    ).toBe(locked);
    other.journal.close();
  });

  it('"verify the session expired" is refused before the role session expires, whatever time is claimed for it', async () => {
    const clock = manualClock(); // 13:00; the pasted credentials expire at 14:00
    const { service, journal } = makeService(tempDir(), { clock, signer: softwareSigner().signer });
    const id = await upToRoleSession(service, true);
    clock.advance(30);
    const early = await service.recordAftercareEvidence(id, {
      item_id: 'cleanup.verify-expiry',
      text: 'vault list of breakglass leases is empty already',
    });
    expect(early).toMatchObject({
      ok: false,
      error: { code: 'out-of-order', message: expect.stringContaining('expires at 2026-05-20T14:00:00.000Z') },
    });
    clock.advance(45); // 14:15
    const backdated = await service.recordAftercareEvidence(id, {
      item_id: 'cleanup.verify-expiry',
      text: 'vault list of breakglass leases was empty',
      evidence_at: '2026-05-20T13:50:00Z',
    });
    expect(backdated).toMatchObject({ ok: false, error: { code: 'out-of-order' } });
    ok(
      await service.recordAftercareEvidence(id, {
        item_id: 'cleanup.verify-expiry',
        text: 'vault list of breakglass leases is empty; key last used 13:40',
      }),
    );
    journal.close();
  });

  it('refuses a second, unlinked role ceremony while a role session is live: that is a renewal by another name', async () => {
    const { service, journal } = makeService(tempDir(), { clock: manualClock(), signer: softwareSigner().signer });
    const first = await upToRoleSession(service, true);
    const before = journal.ceremonies().length;
    expect(await service.start({ type: 'breakglass-role', drill: false })).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: `${first} has a live role session (until 2026-05-20T14:00:00.000Z): another one now is a renewal of it. Start it from that ceremony (linked, with its justification), or record its sign-out first (or wait until its credentials expire).`,
      },
    });
    expect(journal.ceremonies()).toHaveLength(before);
    // A drill does not count against a real session, nor a root-login ceremony.
    expect(ok(await service.start({ type: 'breakglass-role', drill: true })).drill).toBe(true);
    expect(ok(await service.start({ type: 'root-login', drill: false })).type).toBe('root-login');
    journal.close();
  });

  it('the live session rule ends with the session: recorded sign-out, or expiry; and a renewal must link to the live one', async () => {
    const clock = manualClock();
    const { service, journal } = makeService(tempDir(), { clock, signer: softwareSigner().signer });
    // An older, finished role ceremony Y, then a live one X.
    const older = await upToRoleSession(service, true);
    ok(await service.logAction(older, { text: 'ran: aws iam update-assume-role-policy --role-name irsa-deployer' }));
    ok(await service.finishMinimalAction(older, { summary: 'Restored the IRSA trust policy' }));
    ok(await service.recordSignOut(older, {})); // recorded, not yet locked: no longer live
    const live = await upToRoleSession(service, true);
    // Linking to the older one while X is live is a renewal around X: refused.
    expect(await service.start({ type: 'breakglass-role', drill: false, linked_ceremony_id: older })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining(`${live} has a live role session`) },
    });
    // After X's credentials expire (14:00) without a sign-out, a new incident is not forced to be its renewal.
    clock.set('2026-05-20T14:01:00.000Z');
    expect(ok(await service.start({ type: 'breakglass-role', drill: false })).type).toBe('breakglass-role');
    journal.close();
  });

  it('allows one open renewal at a time, and another once that one is finished or aborted', async () => {
    const { service, journal } = makeService(tempDir(), { clock: manualClock(), signer: softwareSigner().signer });
    const first = await upToRoleSession(service, true);
    const renewal = ok(
      await service.start({ type: 'breakglass-role', drill: false, linked_ceremony_id: first }),
    ).ceremony_id;
    const before = journal.ceremonies().length;
    const second = await service.start({ type: 'breakglass-role', drill: false, linked_ceremony_id: first });
    expect(second).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: `linked ceremony: ${renewal} already renews ${first} and is still open; finish or abort it first`,
      },
    });
    expect(journal.ceremonies()).toHaveLength(before);
    ok(await service.abort(renewal, { reason: 'opened by mistake, no new need yet' }));
    expect(
      ok(await service.start({ type: 'breakglass-role', drill: false, linked_ceremony_id: first })).linked_ceremony_id,
    ).toBe(first);
    journal.close();
  });

  it('refuses "just in case" as a reason or a renewal justification', async () => {
    const { service, journal } = makeService(tempDir(), { clock: manualClock(), signer: softwareSigner().signer });
    const first = await upToRoleSession(service, true);
    const renewal = ok(
      await service.start({ type: 'breakglass-role', drill: false, linked_ceremony_id: first }),
    ).ceremony_id;
    for (const [justification, reason] of <Array<[string, string]>>[
      ['just in case we need it again later today', 'P0 IRSA lockout might come back'],
      ['the rollout is unfinished and still needs the role', 'renew the role in case we need it'],
    ]) {
      const r = await service.selectScenario(renewal, {
        scenario_id: 'p0-role',
        evidence: { ...EVIDENCE, renewal_justification: justification },
        reason,
      });
      expect(r).toMatchObject({
        ok: false,
        error: { message: expect.stringContaining('"just in case" is not authorised') },
      });
    }
    ok(
      await service.selectScenario(renewal, {
        scenario_id: 'p0-role',
        evidence: {
          ...EVIDENCE,
          renewal_justification: 'the IRSA trust fix needs a second rollout after the first window expired',
        },
        reason: 'P0 IRSA lockout: second rollout window',
      }),
    );
    journal.close();
  });
});
