// Tests the forms Copy Credentials offers and the order of its quick pick.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COPY_FORMATS, copyFormatItems, formOf, isCopyFormat } from '../../../src/ui/copyFormats';

const t = (m: string, ...args: Array<string | number | boolean>) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));

const rows = (items: ReturnType<typeof copyFormatItems>) => items.map((i) => (i.format ? `${i.format}: ${i.label}` : `-- ${i.label}`));

test('every way the portal offers, grouped, this platform\'s shell first in each group', () => {
  assert.deepEqual(rows(copyFormatItems(t, 'linux')), [
    '-- Environment variables',
    'env-bash: Environment variables for bash / zsh',
    'env-powershell: Environment variables for PowerShell',
    'env-cmd: Environment variables for cmd',
    '-- aws configure set commands',
    'configure-bash: aws configure set commands for bash / zsh',
    'configure-powershell: aws configure set commands for PowerShell',
    'configure-cmd: aws configure set commands for cmd',
    '-- .env file',
    'dotenv: .env lines for docker run --env-file',
  ]);
  const win = copyFormatItems(t, 'win32').filter((i) => i.format);
  assert.deepEqual(win.map((i) => i.format), ['env-powershell', 'env-cmd', 'env-bash', 'configure-powershell', 'configure-cmd', 'configure-bash', 'dotenv']);
  // Each choice appears once, and each label says it all (no icon, unique).
  const labels = win.map((i) => i.label);
  assert.equal(new Set(labels).size, COPY_FORMATS.length);
  for (const l of labels) assert.doesNotMatch(l, /\$\(/);
  assert.match(win.find((i) => i.format === 'configure-cmd')!.description!, /^aws configure set aws_access_key_id … --profile NAME$/);
});

test('the form picked last comes first, alone under "last used", and is not repeated below', () => {
  const items = copyFormatItems(t, 'linux', 'configure-powershell');
  assert.deepEqual(rows(items).slice(0, 3), ['-- last used', 'configure-powershell: aws configure set commands for PowerShell', '-- Environment variables']);
  assert.equal(items.filter((i) => i.format === 'configure-powershell').length, 1);
  assert.equal(items.filter((i) => i.format).length, COPY_FORMATS.length);
  // A group left empty loses its heading.
  assert.deepEqual(rows(copyFormatItems(t, 'linux', 'dotenv')).filter((r) => r.startsWith('--')), ['-- last used', '-- Environment variables', '-- aws configure set commands']);
  // Whatever else globalState holds (an old or foreign value) is ignored.
  for (const junk of ['bash', 'powershell', 42, undefined, null, 'env-fish']) assert.deepEqual(copyFormatItems(t, 'linux', junk), copyFormatItems(t, 'linux'));
});

test('formats and what they stand for', () => {
  assert.deepEqual(formOf('env-cmd'), { kind: 'env', shell: 'cmd' });
  assert.deepEqual(formOf('configure-powershell'), { kind: 'configure', shell: 'powershell' });
  assert.deepEqual(formOf('dotenv'), { kind: 'dotenv' });
  assert.ok(COPY_FORMATS.every(isCopyFormat));
  assert.equal(isCopyFormat('bash'), false);
});
