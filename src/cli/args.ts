// A small, strict argument parser for the command-line entry: unknown flags are errors.

export interface FlagSpec {
  /** Flags that take a value (`--name X` or `--name=X`). */
  values?: readonly string[];
  /** Flags that are on or off. */
  switches?: readonly string[];
}

export interface ParsedArgs {
  command: string | undefined;
  values: Map<string, string>;
  switches: Set<string>;
  positionals: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function parseArgs(argv: readonly string[], specs: Record<string, FlagSpec>): ParsedArgs {
  const [command, ...rest] = argv;
  const out: ParsedArgs = { command, values: new Map(), switches: new Set(), positionals: [] };
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out.command = 'help';
    return out;
  }
  if (command === '--version' || command === '-V') {
    out.command = 'version';
    return out;
  }
  const spec = specs[command];
  if (!spec) throw new UsageError(`Unknown command "${command}".`);
  const values = new Set(spec.values ?? []);
  const switches = new Set([...(spec.switches ?? []), 'help']);
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (values.has(name)) {
      const value = eq === -1 ? rest[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq === -1 && value.startsWith('--'))) {
        throw new UsageError(`--${name} needs a value.`);
      }
      if (out.values.has(name)) throw new UsageError(`--${name} is given twice.`);
      out.values.set(name, value);
    } else if (switches.has(name) && eq === -1) {
      out.switches.add(name);
    } else {
      throw new UsageError(`Unknown option --${name} for "${command}".`);
    }
  }
  if (out.positionals.length > 0) {
    throw new UsageError(`Unexpected argument "${out.positionals[0]}" for "${command}".`);
  }
  return out;
}
