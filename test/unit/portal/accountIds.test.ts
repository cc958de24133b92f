// Account IDs from the portal are checked where the answer is parsed: anything but 12 digits is
// left out and reported, so no caller prints, stores or links a hostile string as an account.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Portal, PortalClientLike } from '../../../src/core/portal/portal';
import { VirtualTime } from '../../helpers/portal-virtualTime';

const HOSTILE = ['\u001b]8;;https://evil.example/\u0007123456789012', '12345678901', '1234567890123', '١٢٣٤٥٦٧٨٩٠١٢', ' 123456789012'];

function client(): PortalClientLike {
  return {
    send: async (command: unknown) => {
      const name = (command as object).constructor.name;
      if (name === 'ListAccountsCommand') {
        return {
          accountList: [
            { accountId: '111122223333', accountName: 'good' },
            ...HOSTILE.map((accountId, i) => ({ accountId, accountName: `bad-${i}` })),
            { accountId: '444455556666', accountName: 'also good' },
          ],
        };
      }
      if (name === 'ListAccountRolesCommand') {
        const { accountId } = (command as { input: { accountId: string } }).input;
        return { roleList: [{ roleName: 'ReadOnly', accountId }] };
      }
      throw new Error(`unexpected ${name}`);
    },
  };
}

test('listAccounts keeps only 12-digit account IDs and reports the others', async () => {
  const vt = new VirtualTime();
  const portal = new Portal({ region: 'us-east-1', client: client(), clock: vt.clock, sleep: vt.sleep });
  const skipped: string[] = [];
  const accounts = await vt.run(portal.listAccounts('token', { onSkipped: (id) => skipped.push(id) }));
  assert.deepEqual(accounts.map((a) => a.accountId), ['111122223333', '444455556666']);
  assert.deepEqual(skipped, HOSTILE);
});

test('listAll lists roles only for valid accounts and passes the skipped IDs on', async () => {
  const vt = new VirtualTime();
  const portal = new Portal({ region: 'us-east-1', client: client(), clock: vt.clock, sleep: vt.sleep });
  const skipped: string[] = [];
  const listing = await vt.run(portal.listAll('token', { onSkippedAccount: (id) => skipped.push(id) }));
  assert.deepEqual(listing.accounts.map((a) => a.accountId), ['111122223333', '444455556666']);
  assert.deepEqual([...listing.roles.keys()], ['111122223333', '444455556666']);
  assert.deepEqual(skipped, HOSTILE);
});
