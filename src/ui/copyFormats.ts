// The forms Copy Credentials offers (the access portal's ways: environment variables, `aws
// configure set` commands, and `.env` lines) and how its quick pick lists them. No `vscode` import:
// unit-tested.
import type { Shell } from '../core/credentials';
import type { Translate } from './errorAdvice';
import { defaultShell } from './inputs';

export type CopyFormat = 'env-bash' | 'env-powershell' | 'env-cmd' | 'configure-bash' | 'configure-powershell' | 'configure-cmd' | 'dotenv';

/** What a CopyFormat stands for. */
export type CopyForm = { kind: 'env' | 'configure'; shell: Shell } | { kind: 'dotenv' };

const SHELLS: readonly Shell[] = ['bash', 'powershell', 'cmd'];

export const COPY_FORMATS: readonly CopyFormat[] = [
  ...SHELLS.map((s): CopyFormat => `env-${s}`),
  ...SHELLS.map((s): CopyFormat => `configure-${s}`),
  'dotenv',
];

/** globalState key: the form picked last, offered first next time. */
export const LAST_COPY_FORMAT_KEY = 'awsSsoProfiles.copyCredentials.lastFormat';

export function isCopyFormat(v: unknown): v is CopyFormat {
  return typeof v === 'string' && (COPY_FORMATS as readonly string[]).includes(v);
}

export function formOf(f: CopyFormat): CopyForm {
  if (f === 'dotenv') return { kind: 'dotenv' };
  const [kind, shell] = f.split('-') as ['env' | 'configure', Shell];
  return { kind, shell };
}

/** A quick pick row: a choice, or (no `format`) a separator naming the group below it. */
export interface CopyFormatItem {
  label: string;
  description?: string;
  format?: CopyFormat;
}

const SHELL_NAMES: Record<Shell, string> = { bash: 'bash / zsh', powershell: 'PowerShell', cmd: 'cmd' };

const SAMPLES: Record<CopyFormat, string> = {
  'env-bash': 'export AWS_ACCESS_KEY_ID=…',
  'env-powershell': '$Env:AWS_ACCESS_KEY_ID = …',
  'env-cmd': 'set "AWS_ACCESS_KEY_ID=…"',
  'configure-bash': 'aws configure set aws_access_key_id … --profile NAME',
  'configure-powershell': 'aws configure set aws_access_key_id … --profile NAME',
  'configure-cmd': 'aws configure set aws_access_key_id … --profile NAME',
  dotenv: 'AWS_ACCESS_KEY_ID=…',
};

/**
 * The label says the whole choice in words (a screen reader reads it; no icon has to be seen),
 * the description shows the first line it gives.
 */
function choice(f: CopyFormat, t: Translate): CopyFormatItem {
  const form = formOf(f);
  const label =
    form.kind === 'dotenv'
      ? t('.env lines for docker run --env-file')
      : form.kind === 'env'
        ? t('Environment variables for {0}', SHELL_NAMES[form.shell])
        : t('aws configure set commands for {0}', SHELL_NAMES[form.shell]);
  return { label, description: SAMPLES[f], format: f };
}

/**
 * The rows of the quick pick: grouped by kind, this platform's shell first in each group, and the
 * form picked last (when still offered) alone on top, so Enter repeats it.
 */
export function copyFormatItems(t: Translate, platform: NodeJS.Platform, last?: unknown): CopyFormatItem[] {
  // Windows' own shells before bash there; bash / zsh first elsewhere.
  const shells: Shell[] = defaultShell(platform) === 'powershell' ? ['powershell', 'cmd', 'bash'] : [...SHELLS];
  const groups: Array<[string, CopyFormat[]]> = [
    [t('Environment variables'), shells.map((s): CopyFormat => `env-${s}`)],
    [t('aws configure set commands'), shells.map((s): CopyFormat => `configure-${s}`)],
    [t('.env file'), ['dotenv']],
  ];
  const items: CopyFormatItem[] = [];
  if (isCopyFormat(last)) items.push({ label: t('last used') }, choice(last, t));
  for (const [name, formats] of groups) {
    const rest = formats.filter((f) => f !== last);
    if (rest.length > 0) items.push({ label: name }, ...rest.map((f) => choice(f, t)));
  }
  return items;
}
