// A hand-written SSO OIDC / portal client double for the auth tests: records commands, answers from scripts.
import { randomBytes } from 'node:crypto';

export interface Call {
  /** Command class name without "Command": CreateToken, RegisterClient, … */
  op: string;
  input: Record<string, unknown>;
  signal?: AbortSignal;
}

type Handler = (input: Record<string, unknown>, call: Call) => unknown;

/** An error shaped like the SDK's modelled service exceptions. */
export function sdkError(name: string, status = 400, message = `${name} from the service`): Error {
  const e = new Error(message) as Error & { $metadata: object; $fault: string };
  e.name = name;
  e.$metadata = { httpStatusCode: status };
  e.$fault = status >= 500 ? 'server' : 'client';
  return e;
}

/** A transport failure: no HTTP status at all. */
export function networkError(): Error {
  const e = new Error('connect ECONNREFUSED 127.0.0.1:9') as Error & { code: string };
  e.code = 'ECONNREFUSED';
  return e;
}

export class ClientDouble {
  readonly calls: Call[] = [];
  /** Every secret value this double handed out, to check none leaks. */
  readonly issued: string[] = [];
  private readonly handlers = new Map<string, Handler>();

  on(op: string, handler: Handler): this {
    this.handlers.set(op, handler);
    return this;
  }

  secret(prefix: string): string {
    const s = `${prefix}-${randomBytes(12).toString('hex')}`;
    this.issued.push(s);
    return s;
  }

  ops(): string[] {
    return this.calls.map((c) => c.op);
  }

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }, options?: { abortSignal?: AbortSignal }) {
    const op = command.constructor.name.replace(/Command$/, '');
    const call: Call = { op, input: command.input, signal: options?.abortSignal };
    this.calls.push(call);
    const h = this.handlers.get(op);
    if (!h) throw new Error(`unexpected ${op}`);
    return h(command.input, call);
  }

  /** A RegisterClient answer valid for `days` from `nowMs`. */
  registers(nowMs: () => number, days = 90): this {
    return this.on('RegisterClient', () => ({
      clientId: this.secret('cid'),
      clientSecret: this.secret('csecret'),
      clientIdIssuedAt: Math.floor(nowMs() / 1000),
      clientSecretExpiresAt: Math.floor(nowMs() / 1000) + days * 86400,
    }));
  }
}

/** Answers each call with the next entry: a value to return, or an Error to throw. */
export function script(...steps: unknown[]): Handler {
  let i = 0;
  return () => {
    const step = steps[Math.min(i++, steps.length - 1)];
    const v = typeof step === 'function' ? (step as () => unknown)() : step;
    if (v instanceof Error) throw v;
    return v;
  };
}
