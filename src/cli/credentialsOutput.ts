// The `credentials` command's output formats: process (credential_process JSON), env, json.
import { formatCredentialsAsEnv } from '../core/credentialFormats';
import { CredentialFormat, formatCredentialsAsJson, formatCredentialsAsProcessJson, isCredentialFormat } from '../core/credentialProcess';
import type { RoleCredentials } from '../core/types';
import { UsageError } from './args';

/** The --format flag (default process); a UsageError for anything else. */
export function credentialFormat(v: string | undefined): CredentialFormat {
  const format = v ?? 'process';
  if (!isCredentialFormat(format)) throw new UsageError('--format must be process, env or json.');
  return format;
}

/** The text to print; it holds secrets (stdout only, never a log). */
export function formatCredentialsForCli(creds: RoleCredentials, format: CredentialFormat): string {
  switch (format) {
    case 'process':
      return formatCredentialsAsProcessJson(creds);
    case 'env':
      return `${formatCredentialsAsEnv(creds, 'bash')}\n`;
    case 'json':
      return formatCredentialsAsJson(creds);
  }
}
