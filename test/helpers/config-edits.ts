// Shorthands the config tests use for one-profile edits and round trips; the product calls
// applyProfiles with a whole change at once, so these live with the tests.
import { applyProfiles, ProfileSpec } from '../../src/core/config/edit';
import { ConfigModel, ConfigProblem, parseConfig } from '../../src/core/config/model';

/** Adds a managed profile, or updates ours in place. */
export function upsertProfile(text: string, profile: ProfileSpec, opts: { overwriteUnmanaged?: boolean } = {}): string {
  return applyProfiles(text, { upserts: [profile], overwriteUnmanaged: opts.overwriteUnmanaged });
}

/** Removes a profile's section; one not written by us only with `onlyManaged: false`. */
export function removeProfile(text: string, name: string, opts: { onlyManaged?: boolean } = {}): string {
  return applyProfiles(text, { removals: [name], removeUnmanaged: opts.onlyManaged === false });
}

/** Every problem the model finds in the file (ambiguities included); empty when the CLI reads it as written. */
export function checkConfig(text: string): ConfigProblem[] {
  return parseConfig(text).problems;
}

/** The model back to text from its lines alone: proves the model keeps every byte. */
export function serializeConfig(model: Pick<ConfigModel, 'bom' | 'lines'>): string {
  return (model.bom ? '\ufeff' : '') + model.lines.map((l) => l.text + l.eol).join('');
}
