// Extension-host test entry: VS Code (desktop through @vscode/test-electron, or code-server through
// scripts/runHostTests.mjs) loads this file inside the extension host and awaits `run()`.
//
// It runs every compiled suite next to it (out/test/host/suite/*.test.js) with mocha. The spec
// report goes to the extension host's console and, when AWS_SSO_HOST_TEST_REPORT names a file,
// to that file too: the extension host's console is not always visible to the caller (in
// code-server it runs on the server, the workbench only sees its log), the file always is.
/// <reference types="mocha" />
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
// Required, not bundled: mocha loads reporters and interfaces dynamically. The extension host's
// require resolves from this file's location, i.e. the repository's node_modules.
import Mocha = require('mocha');

export async function run(): Promise<void> {
  const report = process.env.AWS_SSO_HOST_TEST_REPORT;
  const grep = process.env.AWS_SSO_HOST_TEST_GREP;
  if (report) {
    writeFileSync(report, '');
    const original = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
      appendFileSync(report, format(...args) + '\n');
      original(...args);
    };
  }

  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: !report,
    timeout: Number(process.env.AWS_SSO_HOST_TEST_TIMEOUT ?? 20_000),
    ...(grep ? { grep } : {}),
  });
  const dir = join(__dirname, 'suite');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`no compiled suites in ${dir}`);
  for (const f of files) mocha.addFile(join(dir, f));

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (e) {
      reject(e);
    }
  });
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
