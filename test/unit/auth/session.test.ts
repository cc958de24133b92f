// The SsoAuth facade: reading the cache stays free of the AWS SDK, and no secret reaches a log or an error.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { SsoAuth } from '../../../src/core/auth/session';
import { writeTokenFile } from '../../../src/core/auth/tokenCache';
import { isSsoError } from '../../../src/core/errors';
import type { SsoSession } from '../../../src/core/types';
import { ClientDouble, networkError, script, sdkError } from '../../helpers/auth-oidcDouble';
import { fakeTime } from '../../helpers/fakeTime';
import { TempHome, tempHome } from '../../helpers/tempHome';

const session: SsoSession = { name: 's', startUrl: 'https://s.awsapps.com/start', region: 'us-east-2', scopes: ['sso:account:access'] };
const sdkLoaded = () => Object.keys(require.cache).filter((k) => /@aws-sdk[\\/]client-sso/.test(k));

let home: TempHome;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(() => home.cleanup());

describe('SsoAuth', () => {
  // Must run before anything in this file sends a command.
  test('readToken and a fresh getAccessToken do not load the AWS SDK', async () => {
    assert.deepEqual(sdkLoaded(), []);
    const time = fakeTime();
    await writeTokenFile(home.paths, session, { startUrl: session.startUrl, region: session.region, accessToken: 'a'.repeat(20), expiresAt: time.clock.now() + 3600_000 });
    const auth = new SsoAuth({ paths: home.paths, env: home.env, clock: time.clock });
    assert.equal((await auth.readToken(session))?.accessToken, 'a'.repeat(20));
    assert.equal((await auth.getAccessToken(session)).accessToken, 'a'.repeat(20));
    assert.equal(await auth.readToken({ ...session, name: 'other' }), undefined);
    assert.deepEqual(sdkLoaded(), []);
  });

  test('no issued secret reaches the log or an error message, across every path', async () => {
    const time = fakeTime();
    const oidc = new ClientDouble().registers(time.clock.now);
    const portal = new ClientDouble();
    const texts: string[] = [];
    const auth = new SsoAuth({
      paths: home.paths,
      env: home.env,
      clock: time.clock,
      sleep: time.sleep,
      oidcClient: () => oidc,
      portalClient: () => portal,
      log: (m) => texts.push(m),
    });
    const expectError = async (p: Promise<unknown>) => {
      const e = await p.then(() => undefined, (x: unknown) => x);
      assert.ok(isSsoError(e));
      texts.push(e.message);
    };
    const secretError = (name: string) => () => sdkError(name, 400, `bad ${oidc.issued.join(' ')}`);
    oidc.on('StartDeviceAuthorization', script(() => ({ deviceCode: oidc.secret('dc'), userCode: 'U-1', verificationUri: 'https://v', expiresIn: 60, interval: 5 })));
    oidc.on('CreateToken', script(
      () => sdkError('AuthorizationPendingException'),
      networkError,
      () => ({ accessToken: oidc.secret('aoa'), refreshToken: oidc.secret('aor'), expiresIn: 600 }),
      secretError('InvalidGrantException'),
      secretError('AccessDeniedException'),
    ));
    await auth.loginWithDeviceCode(session, { onPrompt: () => undefined });
    // 10 minutes left: refresh fails (InvalidGrant) and the current token is used.
    await auth.getAccessToken(session);
    time.advance(11 * 60_000);
    await expectError(auth.getAccessToken(session));
    await expectError(auth.loginWithDeviceCode(session, { onPrompt: () => undefined }));
    portal.on('Logout', script(() => sdkError('UnauthorizedException', 401, `expired ${oidc.issued.join(' ')}`)));
    await auth.logout(session, { roles: [{ accountId: '123456789012', roleName: 'R' }] });
    assert.ok(texts.length >= 6);
    assert.ok(oidc.issued.length >= 6);
    for (const t of texts) for (const s of oidc.issued) assert.ok(!t.includes(s), `leak in: ${t}`);
  });
});
