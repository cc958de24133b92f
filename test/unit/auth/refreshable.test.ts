// "Refreshable" means one thing: the CLI's status, the editor's token state and the refresh itself agree.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { main } from '../../../src/cli/main';
import { canRefresh, refreshableUntil, stillRenewable } from '../../../src/core/auth/renewable';
import { SsoAuth } from '../../../src/core/auth/session';
import { writeTokenFile } from '../../../src/core/auth/tokenCache';
import { isSsoError } from '../../../src/core/errors';
import type { CachedToken, SsoSession } from '../../../src/core/types';
import { tokenState } from '../../../src/ui/sessionsModel';
import { ClientDouble, script } from '../../helpers/auth-oidcDouble';
import { fakeTime } from '../../helpers/fakeTime';
import { TempHome, tempHome } from '../../helpers/tempHome';

const session: SsoSession & { name: string } = { name: 'r', startUrl: 'https://d-r.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };
const time = fakeTime();
const now = time.clock.now();

let home: TempHome;
beforeEach(async () => {
  home = await tempHome();
  await mkdir(dirname(home.paths.configFile), { recursive: true });
  await writeFile(home.paths.configFile, `[sso-session r]\nsso_start_url = ${session.startUrl}\nsso_region = us-east-1\n`);
});
afterEach(() => home.cleanup());

const base: CachedToken = { startUrl: session.startUrl, region: session.region, accessToken: 'aoa-x', expiresAt: now + 5 * 60_000 };
const full: CachedToken = { ...base, refreshToken: 'aor-x', clientId: 'cid', clientSecret: 'csecret', registrationExpiresAt: now + 86400_000 };

const cases: Array<[string, CachedToken, boolean]> = [
  ['everything botocore needs', full, true],
  ['no registration expiry (botocore will not refresh it)', { ...full, registrationExpiresAt: undefined }, false],
  ['a refresh token without a client', { ...base, refreshToken: 'aor-x' }, false],
  ['an expired registration', { ...full, registrationExpiresAt: now - 1000 }, false],
  ['an older `aws sso login` token', base, false],
];

async function cliSaysRefreshable(): Promise<boolean> {
  let out = '';
  const code = await main(['status', '--json'], { env: home.env, stdout: (s) => (out += s), stderr: () => undefined, clock: time.clock });
  assert.equal(code, 0);
  return (JSON.parse(out) as Array<{ refreshable: boolean }>)[0].refreshable;
}

async function refreshWorks(): Promise<boolean> {
  const oidc = new ClientDouble().on('CreateToken', script({ accessToken: 'aoa-new', expiresIn: 3600 }));
  const auth = new SsoAuth({ paths: home.paths, env: home.env, clock: time.clock, sleep: time.sleep, oidcClient: () => oidc });
  try {
    await auth.getAccessToken(session);
    return oidc.calls.length === 1;
  } catch (e) {
    assert.ok(isSsoError(e, 'SessionEnded'), String(e));
    return false;
  }
}

for (const [name, token, want] of cases) {
  test(`${name}: refreshable is ${want} for the rule, the CLI, the editor and the refresh`, async () => {
    assert.equal(canRefresh(token, now), want);
    if (want) assert.equal(refreshableUntil(token), token.registrationExpiresAt);
    await writeTokenFile(home.paths, session, token);
    assert.equal(await cliSaysRefreshable(), want, 'aws-sso-profiles status');
    const ui = tokenState(token);
    assert.equal(stillRenewable(ui.refreshableUntil, now), want, 'the editor');
    assert.equal(await refreshWorks(), want, 'the refresh');
  });
}
