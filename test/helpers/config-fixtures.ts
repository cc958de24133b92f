// The sample config files in test/fixtures/config, and the CRLF / BOM / no-final-newline
// variants generated from them (generated so git's line-ending handling cannot alter them).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'config');

export interface Fixture {
  name: string;
  text: string;
}

export function loadFixtures(): Fixture[] {
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith('.config'))
    .sort()
    // The samples are stored with LF; a checkout that converted them (core.autocrlf) must not
    // change what the tests mean, so CRLF is undone here and generated where wanted.
    .map((name) => ({ name, text: readFileSync(join(FIXTURE_DIR, name), 'utf8').replace(/\r\n/g, '\n') }));
}

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export function withoutFinalNewline(text: string): string {
  return text.replace(/(\r\n|\r|\n)$/, '');
}

/** LF as stored, CRLF, and (where different) without the final newline. */
export function variants(f: Fixture): Fixture[] {
  const out = [f, { name: `${f.name} (CRLF)`, text: toCrlf(f.text) }];
  const trimmed = withoutFinalNewline(f.text);
  if (trimmed !== f.text) {
    out.push({ name: `${f.name} (no final newline)`, text: trimmed });
    out.push({ name: `${f.name} (CRLF, no final newline)`, text: toCrlf(trimmed) });
  }
  return out;
}

/** A temporary folder for files handed to python3 or the SDK; never under the real ~/.aws. */
export class ScratchDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'aws-sso-config-test-'));
  private n = 0;

  write(text: string): string {
    const p = join(this.dir, `config-${this.n++}`);
    writeFileSync(p, text, 'utf8');
    return p;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
