// Entry of the `aws-sso-profiles` binary (bundled to dist/cli.js).
import { main } from './cli/main';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());

main(process.argv.slice(2), {
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`aws-sso-profiles: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
