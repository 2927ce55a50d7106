import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../support/temp-dir';
import { fixture, roleSteps } from './support/ceremony-journal';
import { edited, recordOf, reconcileSteps, writeTrailLog } from './support/trail-records';

const tempDir = useTempDir('breakglass-reconcile-tf-');
const ct = (name: string) => fixture('cloudtrail', name);
const plan = (dir: string, name: string, change: (p: Record<string, unknown>) => void) => {
  const p = JSON.parse(readFileSync(fixture('terraform', 'clean-plan.json'), 'utf8')) as Record<string, unknown>;
  change(p);
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(p));
  return file;
};

/** alice's TerminateInstances with the fields of a create changed (no public record of these in a breakglass window). */
function creates() {
  const alice = recordOf('role-session.json', 'TerminateInstances', 1);
  const eip = edited(alice, {
    eventName: 'AllocateAddress',
    eventTime: '2026-05-20T13:07:00Z',
    requestParameters: { domain: 'vpc' },
    responseElements: { requestId: 'r-1', publicIp: '198.51.100.7', domain: 'vpc', allocationId: 'eipalloc-0new5678' },
  });
  // RunInstances names the existing security group first: only the new instance id counts.
  const run = edited(alice, {
    eventName: 'RunInstances',
    eventTime: '2026-05-20T13:08:00Z',
    requestParameters: { instanceType: 't3.micro' },
    responseElements: {
      ownerId: '039624954211',
      groupSet: { items: [{ groupId: 'sg-0aaa1111' }] },
      instancesSet: {
        items: [{ instanceId: 'i-0new0000000000001', groupSet: { items: [{ groupId: 'sg-0aaa1111' }] } }],
      },
    },
  });
  return { eip, run };
}

describe('Terraform semantics', () => {
  it('plan deletes and replacements are managed resources in state, never "outside Terraform"', () => {
    const r = reconcileSteps(tempDir(), 'role-tf-state', roleSteps(), {
      cloudtrail: [ct('role-session.json')],
      terraformPlan: fixture('terraform', 'post-breakglass-plan.json'),
    });
    expect(r.terraformInState.map((c) => [c.address, c.reason])).toEqual([
      ['aws_eip.emergency_nat_gateway', 'delete_because_no_resource_config'],
      ['aws_iam_role_policy_attachment.orders_irsa', 'replace_because_cannot_update'],
    ]);
    expect(r.terraformOrphans).toEqual([]);
  });

  it("Terraform's own basic-delete plan: the resource removed from the configuration is in state, not an orphan", () => {
    const r = reconcileSteps(tempDir(), 'role-tf-upstream', roleSteps(), {
      cloudtrail: [ct('role-session.json')],
      terraformPlan: fixture('terraform', 'terraform-show-json-basic-delete.json'),
    });
    expect(r.terraformInState.map((c) => [c.address, c.actions, c.id])).toEqual([
      ['test_instance.test-delete', ['delete'], 'placeholder'],
    ]);
    expect(r.terraformOrphans).toEqual([]);
    expect(r.needsAttention).toContain(
      '1 managed resource(s) the Terraform plan would destroy or replace: in state, not orphans; review the plan before applying',
    );
  });

  it('an errored plan needs attention', () => {
    const dir = tempDir();
    const errored = plan(dir, 'errored.json', (p) => {
      p.errored = true;
    });
    const r = reconcileSteps(dir, 'role-tf-err', roleSteps(), {
      cloudtrail: [ct('role-session.json')],
      terraformPlan: errored,
    });
    expect(r.terraformErrored).toBe(true);
    expect(r.needsAttention).toContain(
      'the Terraform plan errored (errored: true): it shows only part of the changes; fix the error and plan again',
    );
  });

  it("lists the session's CloudTrail creates that no state or plan address covers (Step 3b)", () => {
    const dir = tempDir();
    const { eip, run } = creates();
    const trail = writeTrailLog(dir, 'creates.json', [eip, run]);
    const clean = plan(dir, 'clean.json', (p) => {
      p.prior_state = {
        values: {
          root_module: { resources: [{ address: 'aws_security_group.orders', values: { id: 'sg-0aaa1111' } }] },
        },
      };
    });
    const r = reconcileSteps(dir, 'role-tf-creates', roleSteps(), {
      cloudtrail: [ct('role-session.json'), trail],
      terraformPlan: clean,
    });
    expect(r.terraformOrphans.map((o) => [o.eventId, o.ids, o.command])).toEqual([
      [
        eip.eventID,
        ['eipalloc-0new5678'],
        "terraform import '<ADDRESS>' eipalloc-0new5678  # preferred; or delete it: aws ec2 release-address --allocation-id eipalloc-0new5678",
      ],
      [
        run.eventID,
        ['i-0new0000000000001'],
        "terraform import '<ADDRESS>' i-0new0000000000001  # preferred; or delete it: aws ec2 terminate-instances --instance-ids i-0new0000000000001",
      ],
    ]);
    // Once imported, the plan knows the allocation: only the instance is left.
    const imported = plan(dir, 'imported.json', (p) => {
      p.prior_state = {
        values: { root_module: { resources: [{ address: 'aws_eip.emergency', values: { id: 'eipalloc-0new5678' } }] } },
      };
    });
    const after = reconcileSteps(dir, 'role-tf-imported', roleSteps(), {
      cloudtrail: [ct('role-session.json'), trail],
      terraformPlan: imported,
    });
    expect(after.terraformOrphans.map((o) => o.eventId)).toEqual([run.eventID]);
    // Without a plan every create is listed, and says it was not checked.
    const none = reconcileSteps(dir, 'role-tf-none', roleSteps(), { cloudtrail: [ct('role-session.json'), trail] });
    expect(none.needsAttention).toContain(
      '2 resource(s) created in the session, not checked against Terraform (no plan given): import or delete (cleanup Step 3b)',
    );
  });
});
