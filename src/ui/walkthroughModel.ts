// What the Get Started walkthrough needs to know, without the editor: when to open it, and which
// of its steps' states have been reached. Unit-tested; src/ui/walkthrough.ts applies it.
import { ContextKey } from './contextKeys';

/** `contributes.walkthroughs[].id` in package.json. */
export const WALKTHROUGH_ID = 'awsSsoProfiles.gettingStarted';
/** globalState key: the walkthrough was opened once for this user; never again on its own. */
export const WALKTHROUGH_SHOWN_KEY = 'awsSsoProfiles.walkthroughShown';

/** Each step's id and the context key its `onContext:` completion event waits for, in order. */
export const WALKTHROUGH_STEPS = [
  { step: 'addSession', key: ContextKey.hasSession },
  { step: 'signIn', key: ContextKey.signedIn },
  { step: 'createProfiles', key: ContextKey.hasProfile },
  { step: 'useProfile', key: ContextKey.activeProfile },
  { step: 'removeKeys', key: ContextKey.noLongTermKeys },
] as const;

export type StepKey = (typeof WALKTHROUGH_STEPS)[number]['key'];

export type Mode = 'production' | 'development' | 'test';

/**
 * Open the walkthrough on the first activation after install, in an installed extension only:
 * an extension under development (F5, the UI tests) or under test keeps the editor as it is.
 */
export function shouldOpenWalkthrough(mode: Mode, alreadyShown: boolean): boolean {
  return mode === 'production' && !alreadyShown;
}

export interface WalkthroughFacts {
  sessions: readonly { name: string; signedIn: boolean }[];
  profiles: readonly { ssoSession?: string; keys: Record<string, string> }[];
  activeProfile: string | undefined;
}

/** The context keys of the steps whose state follows the sessions, profiles and terminals. */
export function walkthroughKeys(f: WalkthroughFacts): Record<Exclude<StepKey, typeof ContextKey.noLongTermKeys>, boolean> {
  const names = new Set(f.sessions.map((s) => s.name));
  return {
    [ContextKey.hasSession]: names.size > 0,
    [ContextKey.signedIn]: f.sessions.some((s) => s.signedIn),
    // A profile through a known [sso-session], or a legacy one carrying sso_start_url itself.
    [ContextKey.hasProfile]: f.profiles.some((p) => (p.ssoSession !== undefined && names.has(p.ssoSession)) || p.keys.sso_start_url !== undefined),
    [ContextKey.activeProfile]: f.activeProfile !== undefined && f.activeProfile !== '',
  };
}

/** The id `workbench.action.openWalkthrough` takes: `publisher.name#walkthroughId`. */
export function walkthroughRef(extensionId: string): string {
  return `${extensionId}#${WALKTHROUGH_ID}`;
}

/** The id `welcome.markStepComplete` takes: `publisher.name#walkthroughId#stepId`. */
export function stepRef(extensionId: string, key: StepKey): string {
  const s = WALKTHROUGH_STEPS.find((x) => x.key === key)!;
  return `${walkthroughRef(extensionId)}#${s.step}`;
}
