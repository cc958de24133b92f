// A V8 CPU profile of this process (the extension host) through the inspector: the editor benches'
// diagnostic for whose code runs.
/** Starts sampling every `intervalUs` µs; the returned function stops and gives the profile. */
export function startProfile(intervalUs: number): () => Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const inspector = require('node:inspector') as typeof import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  void post('Profiler.enable');
  void post('Profiler.setSamplingInterval', { interval: intervalUs });
  void post('Profiler.start');
  return async () => {
    const r = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    return r.profile;
  };
}
