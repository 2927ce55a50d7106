import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src-main/bundle/build-bundle';
import { renderSessionLog } from '../../../src-main/bundle/session-log';
import type { CeremonyState } from '../../../src-shared/ceremony/state-types';
import { useTempDir } from '../../support/temp-dir';
import { SSO_DOWN, makeService, manualClock, softwareSigner } from '../ceremony/service-fixture';
import { valueOf } from '../../support/unwrap-handlers';

type R = { ok: true; value: CeremonyState } | { ok: false; error: { code: string; message: string } };
function ok(r: R): CeremonyState {
  if (!r.ok) throw new Error(`refused (${r.error.code}): ${r.error.message}`);
  return r.value;
}

const ROLE_EVIDENCE = {
  incident_ref: 'INC-2026-05-20-007',
  blocker: 'standard role lacks iam:UpdateAssumeRolePolicy on IRSA roles',
  approver: '@alice',
  cleanup_owner: '@bob',
};
const pasted = (expiration: string) =>
  JSON.stringify({
    Credentials: {
      AccessKeyId: 'ASIAPASTEDKEY0000001',
      SecretAccessKey: 'x'.repeat(40),
      SessionToken: 'y'.repeat(60),
      Expiration: expiration,
    },
    AssumedRoleUser: {
      AssumedRoleId: 'AROAX:taha',
      Arn: 'arn:aws:sts::039624954211:assumed-role/breakglass-emergency/taha',
    },
  });

describe('the session log says what kind of session it was', () => {
  const tempDir = useTempDir();

  it('a breakglass-role ceremony and its renewal: the role session, the link, and no root audit row reported missing', async () => {
    const clock = manualClock();
    const { service, journal } = makeService(tempDir(), { clock, signer: softwareSigner().signer });
    async function roleCeremony(linked?: string): Promise<string> {
      const id = ok(
        await service.start({
          type: 'breakglass-role',
          drill: false,
          ...(linked ? { linked_ceremony_id: linked } : {}),
        }),
      ).ceremony_id;
      ok(
        await service.selectScenario(id, {
          scenario_id: 'p0-role',
          evidence: linked
            ? {
                ...ROLE_EVIDENCE,
                renewal_justification: 'the IRSA fix needs another rollout window after the first credentials expired',
              }
            : ROLE_EVIDENCE,
          reason: 'P0 IRSA lockout blocks every deploy',
        }),
      );
      ok(await service.lockStep(id, { step: 'scenario' }));
      for (const contact_id of ['asad', 'ian'])
        ok(await service.notifyFounder(id, { contact_id, channel: 'text', acknowledged: true }));
      ok(await service.lockStep(id, { step: 'notify' }));
      ok(
        await service.recordRoleSession(id, {
          source: 'sts',
          assume_role_output: pasted(new Date(clock().getTime() + 3600_000).toISOString()),
        }),
      );
      ok(await service.lockStep(id, { step: 'role_session' }));
      clock.advance(20);
      ok(await service.logAction(id, { text: 'ran: aws iam update-assume-role-policy --role-name irsa-deployer' }));
      if (!linked)
        ok(
          await service.logAction(id, {
            text: 'IAM console: attached AdministratorAccess to the irsa-deployer role for the rollout',
          }),
        );
      ok(await service.finishMinimalAction(id, { summary: 'Restored the IRSA trust policy' }));
      ok(await service.recordSignOut(id, {}));
      ok(await service.lockStep(id, { step: 'sign_out' }));
      return id;
    }
    const first = await roleCeremony();
    const renewal = await roleCeremony(first);

    const log = renderSessionLog(valueOf(buildBundle(journal, first, [], clock())).bundle);
    expect(log).toContain('(breakglass-role)');
    expect(log).toContain(
      '- Role session: arn:aws:iam::039624954211:role/breakglass-emergency, started 2026-05-20T13:00:00.000Z, expires 2026-05-20T14:00:00.000Z; ended: 2026-05-20T13:20:00.000Z (20 min)',
    );
    expect(log).not.toContain('Missing');
    expect(log).not.toContain('## Audit row');
    expect(log).not.toContain('- Account:');
    expect(log).not.toContain('Renewal of');
    // Console work described in words is listed under what was changed, with its anti-pattern called out.
    expect(log).toContain(
      '- in the console: IAM console: attached AdministratorAccess to the irsa-deployer role for the rollout',
    );
    expect(log).toMatch(/console: a policy was attached or granted; it must be detached/);
    expect(log).toContain(
      '## Expected return to normal\n\nNot recorded: it is asked for at sign-out. Fill in when the standard access path is expected back.',
    );

    const renewed = renderSessionLog(valueOf(buildBundle(journal, renewal, [], clock())).bundle);
    expect(renewed).toContain(
      `- Renewal of: ${first} (a new ceremony linked to it, never an extension of its session)`,
    );
    journal.close();
  });

  it('an aborted root-login ceremony says so at the top, and does not call the audit row it never reached missing', async () => {
    const clock = manualClock();
    const { service, journal } = makeService(tempDir(), { clock, signer: softwareSigner().signer });
    const id = ok(await service.start({ type: 'root-login', drill: false })).ceremony_id;
    ok(await service.selectScenario(id, SSO_DOWN));
    ok(await service.lockStep(id, { step: 'scenario' }));
    clock.advance(3);
    ok(await service.abort(id, { reason: 'SSO came back before anyone signed in' }));
    const log = renderSessionLog(valueOf(buildBundle(journal, id, [], clock())).bundle);
    expect(log).toMatch(/^> \*\*ABORTED\*\* at 2026-05-20T13:03:00\.000Z: SSO came back before anyone signed in$/m);
    expect(log).toContain('## Audit row\n\nNot written: the ceremony was aborted before it.');
    expect(log).not.toContain('Missing');

    // A root-login ceremony that finished without its row still says it is missing.
    const unfinished = ok(await service.start({ type: 'root-login', drill: false })).ceremony_id;
    ok(await service.selectScenario(unfinished, SSO_DOWN));
    expect(renderSessionLog(valueOf(buildBundle(journal, unfinished, [], clock())).bundle)).toContain(
      '**Missing**: the agent_audit_log row was not written.',
    );
    journal.close();
  });
});
