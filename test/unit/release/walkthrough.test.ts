// The Get Started walkthrough: its contribution against the code (steps, context keys, buttons,
// media) and the pure decisions behind it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Command } from '../../../src/ui/commandIds';
import { ContextKey } from '../../../src/ui/contextKeys';
import { shouldOpenWalkthrough, stepRef, WALKTHROUGH_ID, WALKTHROUGH_STEPS, walkthroughKeys, walkthroughRef } from '../../../src/ui/walkthroughModel';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync('package.nls.json', 'utf8'));
const walkthrough = pkg.contributes.walkthroughs.find((w: { id: string }) => w.id === WALKTHROUGH_ID);
const text = (v: string) => nls[v.slice(1, -1)] ?? v;

/** Commands of the workbench (not ours) that a step's button may run. */
const WORKBENCH_COMMANDS = ['workbench.action.terminal.new', 'awsSsoProfiles.sessions.focus'];

test('five steps, in order, each completed by its own context key', () => {
  assert.ok(walkthrough, 'contributes.walkthroughs has the walkthrough');
  assert.deepEqual(
    walkthrough.steps.map((s: { id: string; completionEvents: string[] }) => [s.id, s.completionEvents]),
    WALKTHROUGH_STEPS.map((s) => [s.step, [`onContext:${s.key}`]]),
  );
  const keys = Object.values(ContextKey) as string[];
  for (const s of WALKTHROUGH_STEPS) assert.ok(keys.includes(s.key), s.key);
});

test('each step has a button that runs a command, and media that exists', () => {
  const ours = Object.values(Command) as string[];
  for (const s of walkthrough.steps) {
    const description = text(s.description);
    const buttons = [...description.matchAll(/^\[[^\]]+\]\(command:([\w.]+)\)$/gm)].map((m) => m[1]);
    assert.ok(buttons.length >= 1, `${s.id} has no button`);
    for (const b of buttons) assert.ok(ours.includes(b) || WORKBENCH_COMMANDS.includes(b), `${s.id}: ${b}`);
    // Step descriptions render links only: code spans and bold would show their markup.
    assert.doesNotMatch(description.replace(/\(command:[^)]+\)/g, ''), /`|\*\*/, `${s.id}: markup in a step description`);
    const media = s.media.markdown ?? s.media.svg ?? s.media.image;
    assert.ok(media && existsSync(media), `${s.id}: media ${media}`);
    if (s.media.svg || s.media.image) assert.ok(s.media.altText, `${s.id}: altText`);
  }
  // The buttons that need no tree node are in the palette too, so the step can be done from the keyboard.
  const hidden = pkg.contributes.menus.commandPalette.filter((m: { when?: string }) => m.when === 'false').map((m: { command: string }) => m.command);
  for (const s of walkthrough.steps) {
    for (const [, id] of text(s.description).matchAll(/\(command:([\w.]+)\)/g)) assert.ok(!hidden.includes(id), `${s.id}: ${id} is hidden from the palette`);
  }
});

test('the walkthrough is packaged', () => {
  const ignore = readFileSync('.vscodeignore', 'utf8');
  assert.match(ignore, /^!media\/walkthrough\/\*\*$/m);
});

test('opens on the first activation of an installed copy only', () => {
  assert.equal(shouldOpenWalkthrough('production', false), true);
  assert.equal(shouldOpenWalkthrough('production', true), false, 'once per user');
  assert.equal(shouldOpenWalkthrough('development', false), false, 'not under F5 or the UI tests');
  assert.equal(shouldOpenWalkthrough('test', false), false, 'not under the host tests');
});

test('step keys follow sessions, sign-in, profiles and the terminal profile', () => {
  const none = walkthroughKeys({ sessions: [], profiles: [], activeProfile: undefined });
  assert.deepEqual(none, { [ContextKey.hasSession]: false, [ContextKey.signedIn]: false, [ContextKey.hasProfile]: false, [ContextKey.activeProfile]: false });

  const session = { name: 'org', signedIn: false };
  const keyProfile = { keys: { aws_access_key_id: 'AKIA' } };
  assert.equal(walkthroughKeys({ sessions: [session], profiles: [keyProfile], activeProfile: undefined })[ContextKey.hasSession], true);
  assert.equal(walkthroughKeys({ sessions: [session], profiles: [keyProfile], activeProfile: undefined })[ContextKey.hasProfile], false, 'a key profile is not an SSO profile');
  assert.equal(walkthroughKeys({ sessions: [session], profiles: [{ ssoSession: 'other', keys: {} }], activeProfile: undefined })[ContextKey.hasProfile], false, 'a profile of an unknown session');
  assert.equal(walkthroughKeys({ sessions: [session], profiles: [{ ssoSession: 'org', keys: {} }], activeProfile: undefined })[ContextKey.hasProfile], true);
  assert.equal(walkthroughKeys({ sessions: [], profiles: [{ keys: { sso_start_url: 'https://x.awsapps.com/start' } }], activeProfile: undefined })[ContextKey.hasProfile], true, 'legacy SSO profile');
  assert.equal(walkthroughKeys({ sessions: [session, { name: 'b', signedIn: true }], profiles: [], activeProfile: undefined })[ContextKey.signedIn], true);
  assert.equal(walkthroughKeys({ sessions: [], profiles: [], activeProfile: 'dev' })[ContextKey.activeProfile], true);
  assert.equal(walkthroughKeys({ sessions: [], profiles: [], activeProfile: '' })[ContextKey.activeProfile], false);
});

test('ids for openWalkthrough and markStepComplete', () => {
  assert.equal(walkthroughRef('aws-sso-profiles.aws-sso-profiles'), 'aws-sso-profiles.aws-sso-profiles#awsSsoProfiles.gettingStarted');
  assert.equal(stepRef('p.n', ContextKey.noLongTermKeys), 'p.n#awsSsoProfiles.gettingStarted#removeKeys');
});
