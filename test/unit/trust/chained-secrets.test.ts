// No secret of a chained profile reaches an error message or a log line: every way AssumeRole fails
// (refused, expired, invalid, a server fault, an endpoint that echoes the request back), grepped for
// the source and assumed keys. describeError() is what the editor and the command line log.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { assumeChained, ChainedSpec } from '../../../src/core/chained';
import { describeError, isSsoError } from '../../../src/core/errors';
import { Portal } from '../../../src/core/portal/portal';
import type { RoleCredentials } from '../../../src/core/types';
import { FakeIdentityCenter } from '../../fakes/identityCenter';

const TARGET = 'arn:aws:iam::222222222222:role/Target';
let fake: FakeIdentityCenter;
let source: RoleCredentials;
let src: { accountId: string; roleName: string };

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 1, seed: 9 });
  src = { accountId: fake.accounts[0].accountId, roleName: fake.accounts[0].roles[0] };
  fake.addAssumableRole({ arn: TARGET, trusts: [src], externalId: 'right-id' });
  const portal = new Portal({ region: 'us-east-1', env: fake.env() });
  source = await portal.getRoleCredentials(fake.mintToken().accessToken, src.accountId, src.roleName);
  portal.dispose();
});
after(() => fake.close());

/** The message and the log line of `e` hold none of `secrets`. */
function clean(e: unknown, secrets: string[], what: string): void {
  assert.ok(isSsoError(e), `${what}: ${String(e)}`);
  for (const s of secrets) {
    assert.ok(!e.message.includes(s), `${what}: a secret in the message`);
    assert.ok(!describeError(e).includes(s), `${what}: a secret in the log line`);
    assert.ok(!describeError(e.cause).includes(s), `${what}: a secret in the cause's log line`);
  }
}

test('refused, mismatched, expired, invalid and failing AssumeRoles: no key in any message or log line', async () => {
  const env = fake.env();
  const cases: Array<[string, ChainedSpec, () => void]> = [
    ['untrusted', { roleArn: 'arn:aws:iam::222222222222:role/Other' }, () => undefined],
    ['no external ID', { roleArn: TARGET }, () => undefined],
    ['wrong external ID', { roleArn: TARGET, externalId: 'wrong-id' }, () => undefined],
    ['too long', { roleArn: TARGET, externalId: 'right-id', durationSeconds: 7200 }, () => undefined],
    ['server fault', { roleArn: TARGET, externalId: 'right-id' }, () => fake.injectFault({ op: 'sts', status: 500 })],
  ];
  for (const [what, spec, arrange] of cases) {
    arrange();
    await assert.rejects(assumeChained(source, spec, { region: 'us-east-1', env, source: src }), (e: unknown) => {
      clean(e, fake.issuedSecrets(), what);
      return true;
    });
  }
  // And a working one, so the list of secrets holds assumed keys too.
  const ok = await assumeChained(source, { roleArn: TARGET, externalId: 'right-id' }, { region: 'us-east-1', env, source: src });
  assert.ok(fake.issuedSecrets().includes(ok.secretAccessKey));
  fake.expireRoleCredentials();
  await assert.rejects(assumeChained(ok, { roleArn: TARGET, externalId: 'right-id' }, { region: 'us-east-1', env }), (e: unknown) => {
    clean(e, fake.issuedSecrets(), 'expired');
    return true;
  });
});

test('an STS endpoint that echoes the signed request (keys, token, signature) in its error is never quoted', async () => {
  let echoed = '';
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const env = { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    for (const [code, status] of [['AccessDenied', 403], ['ValidationError', 400], ['Weird', 418]] as const) {
      server.removeAllListeners('request');
      // Each answer quotes the request's Authorization header, session token and the secret key.
      server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
        echoed = `${req.headers.authorization} ${req.headers['x-amz-security-token']} ${source.secretAccessKey}`;
        res.writeHead(status, { 'content-type': 'text/xml' });
        res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${echoed}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`);
      });
      await assert.rejects(assumeChained(source, { roleArn: TARGET }, { region: 'us-east-1', env }), (e: unknown) => {
        assert.ok(echoed.includes(source.sessionToken), 'the endpoint did see the token');
        clean(e, [source.secretAccessKey, source.sessionToken, source.accessKeyId], code);
        return true;
      });
    }
  } finally {
    server.close();
  }
});
