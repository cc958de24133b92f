// Child-process script: resolves a profile's credentials with the real AWS SDK for JavaScript
// (`fromIni` or `fromSSO`) and prints the access key id, the SHA-256 of the secret and session
// token (never the secrets themselves) and the expiration. Usage: sdk-credentials.ts fromIni|fromSSO PROFILE
import { createHash } from 'node:crypto';
import { fromIni, fromSSO } from '@aws-sdk/credential-providers';

const [mode, profile] = process.argv.slice(2);
const sha = (s: string | undefined) => (s ? createHash('sha256').update(s).digest('hex') : undefined);
const provider = mode === 'fromSSO' ? fromSSO({ profile }) : fromIni({ profile });
provider()
  .then((c) => {
    const out = {
      accessKeyId: c.accessKeyId,
      secretSha256: sha(c.secretAccessKey),
      sessionTokenSha256: sha(c.sessionToken),
      expiration: c.expiration?.toISOString(),
    };
    // Exit explicitly: a keep-alive socket to the fake would hold the process open.
    process.stdout.write(JSON.stringify(out), () => process.exit(0));
  })
  .catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`);
    process.exit(1);
  });
