// Run in a child process: resolves a profile's credentials with the real AWS SDK (fromIni) and
// prints them as JSON. The environment (HOME, AWS_CONFIG_FILE, AWS_ENDPOINT_URL_SSO) decides where.
import { fromIni } from '@aws-sdk/credential-providers';

const profile = process.argv[2];
fromIni({ profile })()
  .then((c) => {
    // Exit explicitly: the SDK's keep-alive socket to the fake would hold the process open.
    process.stdout.write(JSON.stringify({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken }), () =>
      process.exit(0),
    );
  })
  .catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    process.exit(1);
  });
