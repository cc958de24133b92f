// Runs the fake IAM Identity Center as a process, for the local sandbox and benchmarks.
//
//   npx tsx test/fakes/serve.ts [--port N] [--accounts N] [--seed N] [--interval S] [--auto-approve]
//
// stdout: one `NAME=value` line per endpoint variable, then a JSON line {"url": ...}; nothing else, so a
// script can parse it. Human hints go to stderr. Serves until SIGINT/SIGTERM.
import { FakeIdentityCenter } from './identityCenter';

function value(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function wholeNumber(name: string, fallback: number): number {
  const v = value(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`--${name} needs a whole number, got "${v}"\n`);
    process.exit(2);
  }
  return n;
}

const SANDBOX_CHAINED_ROLE = 'arn:aws:iam::999999999999:role/SandboxChained';
const SANDBOX_GUARDED_ROLE = 'arn:aws:iam::999999999999:role/SandboxGuarded';
const SANDBOX_EXTERNAL_ID = 'sandbox-external-id';

async function main(): Promise<void> {
  const autoApprove = process.argv.includes('--auto-approve');
  const fake = await FakeIdentityCenter.start({
    port: wholeNumber('port', 0),
    accounts: wholeNumber('accounts', 40),
    seed: wholeNumber('seed', 1),
    // A sandbox user does not want to wait the real service's 5 s between polls.
    deviceInterval: wholeNumber('interval', 1),
    autoApprove,
    // Roles a sandbox user (and the host tests) can chain to from any SSO role; any other ARN is AccessDenied.
    assumableRoles: [
      { arn: SANDBOX_CHAINED_ROLE, trusts: ['*'] },
      { arn: SANDBOX_GUARDED_ROLE, trusts: ['*'], externalId: SANDBOX_EXTERNAL_ID },
    ],
  });
  for (const [k, v] of Object.entries(fake.env())) process.stdout.write(`${k}=${v}\n`);
  process.stdout.write(JSON.stringify({ url: fake.url }) + '\n');
  process.stderr.write(
    autoApprove
      ? 'fake Identity Center: sign-ins are approved automatically.\n'
      : `fake Identity Center: approve device codes at ${fake.url}/device, PKCE sign-ins at ${fake.url}/authorize/decide?allow=1\n`,
  );
  process.stderr.write(`fake STS: chain to ${SANDBOX_CHAINED_ROLE}, or ${SANDBOX_GUARDED_ROLE} with external ID ${SANDBOX_EXTERNAL_ID}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`fake Identity Center failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
