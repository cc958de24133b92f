// Copy Credentials on each platform: Windows offers its own shells (PowerShell, then cmd) before
// bash; macOS and Linux offer bash / zsh first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyFormatItems } from '../../../src/ui/copyFormats';

const t = (s: string, ...a: unknown[]) => s.replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)]));
const formats = (p: NodeJS.Platform) => copyFormatItems(t, p).flatMap((i) => (i.format ? [i.format] : []));

test('win32: PowerShell and cmd are the forms offered first, bash after them', () => {
  assert.deepEqual(formats('win32'), ['env-powershell', 'env-cmd', 'env-bash', 'configure-powershell', 'configure-cmd', 'configure-bash', 'dotenv']);
});

test('darwin and linux: bash / zsh first, the same list', () => {
  assert.deepEqual(formats('darwin'), ['env-bash', 'env-powershell', 'env-cmd', 'configure-bash', 'configure-powershell', 'configure-cmd', 'dotenv']);
  assert.deepEqual(formats('linux'), formats('darwin'));
});
