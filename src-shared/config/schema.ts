import * as z from 'zod';

/**
 * The one configuration file: who may break glass, whom to notify, which accounts exist and where
 * their credentials live. It describes where secrets are, never the secrets: every object is
 * strict, so a `password` or `mfa_code` key is refused with its path.
 */
const text = (what: string) =>
  z
    .string({ error: `expected ${what} (text)` })
    .trim()
    .min(1, { error: `expected ${what}, got an empty string` });
const email = z.email({ error: 'expected an e-mail address' });
const slug = z
  .string({ error: 'expected an id (text)' })
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'expected a lowercase id such as "asad"' });

export const principalSchema = z.strictObject({
  id: email,
  name: text('a name'),
  role: z.string().trim().min(1).optional(),
});

export const founderSchema = z.strictObject({
  id: slug,
  name: text('a name'),
  email: email.optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9 ()-]{6,20}$/, { error: 'expected a phone number such as +44 20 7946 0000' })
    .optional(),
  channels: z
    .array(z.enum(['text', 'call'], { error: 'expected "text" or "call"' }))
    .min(1)
    .default(['text', 'call']),
});

export const accountSchema = z.strictObject({
  name: text('an account name'),
  account_id: z
    .string({ error: 'expected a 12-digit AWS account id in quotes (YAML drops leading zeros from numbers)' })
    .regex(/^\d{12}$/, {
      error: 'expected a 12-digit AWS account id',
    }),
  principal: text('the break-glass principal'),
  credential_location: text('where the credential lives (never the credential itself)'),
});

export const configSchema = z
  .strictObject({
    version: z.literal(1, { error: 'expected 1' }),
    organisation: z.string().trim().min(1).optional(),
    principals: z
      .array(principalSchema, { error: 'expected a list of principals' })
      .min(1, { error: 'expected at least one break-glass principal' }),
    founders: z
      .array(founderSchema, { error: 'expected a list of founders to notify' })
      .min(1, { error: 'expected at least one founder to notify' }),
    compliance_liaison: z.strictObject({ name: text('a name'), founder_id: slug.optional(), email: email.optional() }),
    accounts: z
      .array(accountSchema, { error: 'expected the accounts table (a list)' })
      .min(1, { error: 'expected at least one account' }),
    sso: z.strictObject({
      profile: text('the AWS CLI SSO profile name'),
      region: z
        .string()
        .regex(/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/, { error: 'expected an AWS region such as us-east-1' }),
    }),
    mongodb: z
      .strictObject({
        uri: z
          .string()
          .regex(/^mongodb(\+srv)?:\/\//, { error: 'expected a mongodb:// or mongodb+srv:// URI' })
          // No secret in it: checked by the driver's own parser when the file is loaded (load-config.ts).
          .optional(),
        database: text('a database name').default('breakglass'),
      })
      .default({ database: 'breakglass' }),
    keys: z
      .strictObject({
        rp_id: text('the FIDO relying-party id'),
        // Real ceremonies only: every tap must carry the UV flag (PIN or fingerprint), not just a touch.
        require_user_verification: z.boolean({ error: 'expected true or false' }).default(false),
      })
      .default({ rp_id: 'breakglass.local', require_user_verification: false }),
    breakglass_role: z
      .strictObject({
        role_arn: z.string().regex(/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/, { error: 'expected an IAM role ARN' }),
        ttl_minutes: z.number().int().min(5).max(720).default(60),
      })
      .optional(),
  })
  .superRefine((c, ctx) => {
    dupes(
      c.accounts.map((a) => a.name.toLowerCase()),
      ['accounts'],
      'name',
      ctx,
    );
    dupes(
      c.accounts.map((a) => a.account_id),
      ['accounts'],
      'account_id',
      ctx,
    );
    dupes(
      c.founders.map((f) => f.id),
      ['founders'],
      'id',
      ctx,
    );
    dupes(
      c.principals.map((p) => p.id.toLowerCase()),
      ['principals'],
      'id',
      ctx,
    );
    const liaison = c.compliance_liaison.founder_id;
    if (liaison && !c.founders.some((f) => f.id === liaison)) {
      ctx.addIssue({
        code: 'custom',
        path: ['compliance_liaison', 'founder_id'],
        message: `expected the id of a founder (${c.founders.map((f) => f.id).join(', ')}), got "${liaison}"`,
      });
    }
  });

function dupes(values: string[], path: string[], key: string, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  values.forEach((v, i) => {
    const first = seen.get(v);
    if (first !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [...path, i, key],
        message: `duplicate ${key} "${v}" (also at ${path.join('.')}[${first}])`,
      });
    else seen.set(v, i);
  });
}

export type BreakglassConfig = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type AccountConfig = z.infer<typeof accountSchema>;
