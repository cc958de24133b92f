// A refresh race with the real AWS CLI: both see the token inside the 15-minute window and both
// send the refresh token; the CLI wins, the fake rotates the refresh token, ours is refused. The
// cache then holds the CLI's fresh token, which we should use rather than ask for a new sign-in.
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { assertAwsCliV2 } from '../../interop/awsCli';
import { Gate, startGate } from '../../interop/gate';
import { cliTimeIn, fingerprint, fmtOps, Interop, REGION, START_URL, startInterop } from '../../interop/harness';

let ix: Interop;
let gate: Gate;
let cases = 0;
const started = performance.now();

before(async () => {
  await assertAwsCliV2();
  ix = await startInterop({ accounts: 1 });
  gate = await startGate(ix.fake.url);
  let r = await ix.ours(['add-session', '--sso-session', 'race', '--start-url', START_URL, '--region', REGION]);
  assert.equal(r.code, 0, r.text);
  r = await ix.ours(['login', '--sso-session', 'race', '--no-browser']);
  assert.equal(r.code, 0, r.text);
  r = await ix.ours(['populate', '--sso-session', 'race', '--json']);
  assert.equal(r.code, 0, r.text);
});

after(async () => {
  console.log(`# interop refresh race: ${cases} case(s), ${ix.figures.cliRuns} aws run(s) in ${ix.figures.cliMs} ms, ${ix.proxy.refused.length} refused, ${Math.round(performance.now() - started)} ms total`);
  await gate.close();
  await ix.close();
});

async function race(secondsLeft: number) {
  await ix.setExpiresAt('race', cliTimeIn(secondsLeft * 1000));
  const before = await ix.readJson(ix.tokenFile('race'));
  const name = /\[profile ([^\]]+)\]/.exec(await readFile(ix.home.paths.configFile, 'utf8'))![1];
  // No cached role credentials, so the CLI needs the token.
  await rm(ix.home.paths.cliCacheDir, { recursive: true, force: true });

  // Ours goes first, and its CreateToken is held at the gate until the CLI has refreshed.
  const held = gate.holdNext('/token');
  const oursP = ix.ours(['accounts', '--sso-session', 'race', '--json'], { env: { AWS_ENDPOINT_URL_SSO_OIDC: gate.url } });
  await held;
  const { result: cli, ops } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', name]));
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal(ops.token, 1, `the CLI refreshed: ${fmtOps(ops)}`);
  const cliTok = await ix.readJson(ix.tokenFile('race'));
  assert.notEqual(fingerprint(cliTok.accessToken), fingerprint(before.accessToken));
  gate.release();
  const ours = await oursP;
  const tokenStatus = ix.fake.requests.filter((r) => r.op === 'token').at(-1)?.status;
  assert.equal(tokenStatus, 400, 'our refresh, sent with the rotated refresh token, was refused');
  const after = await ix.readJson(ix.tokenFile('race'));
  return { ours, cliTok, after };
}

test('race with more than a minute left: we keep working and leave the CLI\u2019s fresh token in place', async () => {
  cases++;
  const { ours, cliTok, after } = await race(5 * 60);
  assert.equal(ours.code, 0, ours.text);
  assert.equal(fingerprint(after.accessToken), fingerprint(cliTok.accessToken), 'our failed refresh did not overwrite the CLI\u2019s token');
  assert.equal(fingerprint(after.refreshToken), fingerprint(cliTok.refreshToken));
});

test(
  'race with less than a minute left: we use the token the CLI just wrote instead of asking for a new sign-in',
  async () => {
    cases++;
    const { ours } = await race(30);
    assert.equal(ours.code, 0, `we should have used the CLI's fresh token: ${ours.text}`);
    const st = JSON.parse((await ix.ours(['status', '--json'])).text)[0];
    assert.equal(st.signedIn, true);
  },
);
