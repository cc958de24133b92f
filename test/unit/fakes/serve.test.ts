// The runnable fake: prints its endpoints, serves a realistic organisation, and stops on SIGTERM.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';

test('serve.ts prints env lines and a JSON url, serves the org and exits on SIGTERM', { timeout: 20_000 }, async () => {
  const root = join(__dirname, '..', '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'fakes', 'serve.ts'), '--accounts', '7', '--auto-approve'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const lines: string[] = [];
    const rl = createInterface({ input: child.stdout! });
    for await (const line of rl) {
      lines.push(line);
      if (line.startsWith('{')) break;
    }
    const { url } = JSON.parse(lines[lines.length - 1]) as { url: string };
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(lines.slice(0, -1).sort(), [`AWS_ENDPOINT_URL_SSO=${url}`, `AWS_ENDPOINT_URL_SSO_OIDC=${url}`, `AWS_ENDPOINT_URL_STS=${url}`]);

    const reg = (await (
      await fetch(`${url}/client/register`, { method: 'POST', body: JSON.stringify({ clientName: 't', clientType: 'public' }) })
    ).json()) as { clientId: string; clientSecret: string };
    const dev = (await (
      await fetch(`${url}/device_authorization`, { method: 'POST', body: JSON.stringify({ ...reg, startUrl: 'https://x.awsapps.com/start' }) })
    ).json()) as { deviceCode: string };
    const tok = (await (
      await fetch(`${url}/token`, {
        method: 'POST',
        body: JSON.stringify({ ...reg, grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: dev.deviceCode }),
      })
    ).json()) as { accessToken: string };
    const accounts = (await (
      await fetch(`${url}/assignment/accounts`, { headers: { 'x-amz-sso_bearer_token': tok.accessToken } })
    ).json()) as { accountList: unknown[] };
    assert.equal(accounts.accountList.length, 7);

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
