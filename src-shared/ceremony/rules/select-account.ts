import * as z from 'zod';
import { signInOpen } from './session-order';
import { defineCommand, entry, refuse } from './rule-kit';

/** Step 4 (root): the account from the configured table, by name or account id. */
export const selectAccount = defineCommand({
  args: () => z.strictObject({ account_name: z.string().min(1) }),
  order: signInOpen,
  decide(s, a) {
    const want = a.account_name.trim().toLowerCase();
    const account = s.accounts.find((x) => x.name.toLowerCase() === want || x.account_id === want);
    if (!account)
      return refuse(
        'not-found',
        `no account "${a.account_name}" in the table (${s.accounts.map((x) => x.name).join(', ')})`,
      );
    return entry('account_selected', {
      account: {
        name: account.name,
        account_id: account.account_id,
        principal: account.principal,
        credential_location: account.credential_location,
      },
    });
  },
});
