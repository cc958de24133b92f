// Settings as the extension uses them, from raw values of any shape. No `vscode` import.
import { PROFILE_NAME_PRESETS } from '../core/naming';

export type SignInFlowSetting = 'auto' | 'deviceCode' | 'authorizationCode';
export type OutputFormat = 'json' | 'text' | 'table' | 'yaml' | 'yaml-stream';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'text', 'table', 'yaml', 'yaml-stream'];

/** A session as an organisation writes it in settings.json: unvalidated. */
export interface SessionSetting {
  name?: unknown;
  startUrl?: unknown;
  region?: unknown;
  scopes?: unknown;
}

export interface Settings {
  /** A template, or a preset name that `renderProfileName` resolves. */
  profileNameTemplate: string;
  /** Region written into new profiles; undefined: the session's region. */
  defaultRegion?: string;
  defaultOutput: OutputFormat;
  signInFlow: SignInFlowSetting;
  expiryWarningMinutes: number;
  /** Absolute or `~` path; undefined: AWS_CONFIG_FILE, else ~/.aws/config. */
  configFile?: string;
  sessions: SessionSetting[];
  /** `awsSsoProfiles.profileRegions` as written (an object, else {}); core/profileRegions.ts reads and validates it. */
  profileRegions: Record<string, unknown>;
}

const DEFAULT_TEMPLATE = PROFILE_NAME_PRESETS.default;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function normalizeSettings(get: (key: string) => unknown): Settings {
  const preset = str(get('profileName.preset')) ?? 'default';
  const template =
    preset === 'custom'
      ? (str(get('profileName.template')) ?? DEFAULT_TEMPLATE)
      : Object.prototype.hasOwnProperty.call(PROFILE_NAME_PRESETS, preset)
        ? preset
        : DEFAULT_TEMPLATE;
  const output = str(get('defaultOutput'));
  const flow = str(get('signInFlow'));
  const warn = get('expiryWarningMinutes');
  const sessions = get('sessions');
  const regions = get('profileRegions');
  return {
    profileNameTemplate: template,
    defaultRegion: str(get('defaultRegion')),
    defaultOutput: OUTPUT_FORMATS.includes(output as OutputFormat) ? (output as OutputFormat) : 'json',
    signInFlow: flow === 'deviceCode' || flow === 'authorizationCode' ? flow : 'auto',
    expiryWarningMinutes: typeof warn === 'number' && Number.isFinite(warn) && warn >= 0 ? warn : 30,
    configFile: str(get('configFile')),
    sessions: Array.isArray(sessions) ? sessions.filter((s): s is SessionSetting => typeof s === 'object' && s !== null) : [],
    profileRegions: typeof regions === 'object' && regions !== null && !Array.isArray(regions) ? (regions as Record<string, unknown>) : {},
  };
}
