// What a credential process prints (and the `credentials` command's other formats). The profile
// that runs one and the installed command line are processProfile.ts's.
import { SsoError } from './errors';
import type { RoleCredentials } from './types';

/**
 * The AWS CLI's `isoformat()` of an SSO role's expiry: `2026-12-03T12:00:00+00:00`, in whole
 * seconds, since botocore keeps it as `%Y-%m-%dT%H:%M:%SZ` text (cached or not).
 */
function pyIsoUtc(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
}

/**
 * What `aws configure export-credentials --format process` prints (awscli exportcreds.py:
 * `json.dumps(…, indent=2, separators=(',', ': '))` and a newline): `Version` 1, the keys, and
 * `Expiration`, which the SDKs use to know when to run the process again. Holds secrets: stdout only.
 */
export function formatCredentialsAsProcessJson(creds: RoleCredentials): string {
  checkValues(creds);
  const out: Record<string, unknown> = { Version: 1, AccessKeyId: creds.accessKeyId, SecretAccessKey: creds.secretAccessKey, SessionToken: creds.sessionToken };
  if (Number.isFinite(creds.expiration)) out.Expiration = pyIsoUtc(creds.expiration);
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** The SDKs' own credential shape (`accessKeyId`, …, `expiration` as ISO text), for scripts. */
export function formatCredentialsAsJson(creds: RoleCredentials): string {
  checkValues(creds);
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = creds;
  return `${JSON.stringify({ accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiration).toISOString() }, null, 2)}\n`;
}

function checkValues(creds: RoleCredentials): void {
  for (const k of ['accessKeyId', 'secretAccessKey', 'sessionToken'] as const) {
    if (typeof creds[k] !== 'string' || creds[k] === '') throw new SsoError('BadResponse', `The role credentials have no ${k}.`);
  }
}

export const CREDENTIAL_FORMATS = ['process', 'env', 'json'] as const;
export type CredentialFormat = (typeof CREDENTIAL_FORMATS)[number];

export function isCredentialFormat(v: string): v is CredentialFormat {
  return (CREDENTIAL_FORMATS as readonly string[]).includes(v);
}
