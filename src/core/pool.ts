// A small fan-out pool: a fixed number of workers pulling items from a queue that may still be
// growing, stopping on abort. Used by the portal's listing of every role and the tree's prefetch.
//
// A fixed pool rather than one promise per item: thousands of calls parked at once would each
// hold a listener on the shared abort signal and a place in the rate limiter's queue.

export interface WorkPoolOptions<T> {
  /** Workers, i.e. items run at once; at least 1. */
  workers: number;
  /** What to do with one item. A rejection stops the pool and `done` rejects with it. */
  run(item: T): Promise<void>;
  /** Aborting stops the pool: items not started are left, `done` resolves once workers end. */
  signal?: AbortSignal;
}

export class WorkPool<T> {
  private readonly queue: T[] = [];
  private head = 0;
  private closed = false;
  private stopped = false;
  private failure: { error: unknown } | undefined;
  private idle: (() => void)[] = [];
  private readonly onAbort = () => this.stop();
  /** Settles when every worker has ended: the queue drained after close(), or the pool stopped. */
  readonly done: Promise<void>;

  constructor(private readonly opts: WorkPoolOptions<T>) {
    const signal = opts.signal;
    if (signal?.aborted) this.stopped = true;
    else signal?.addEventListener('abort', this.onAbort, { once: true });
    const workers = Array.from({ length: Math.max(1, Math.floor(opts.workers) || 1) }, () => this.worker());
    this.done = Promise.all(workers).then(() => {
      signal?.removeEventListener('abort', this.onAbort);
      if (this.failure) throw this.failure.error;
    });
  }

  /** Queues items; ignored once the pool has stopped. */
  push(...items: T[]): void {
    if (this.stopped) return;
    if (this.closed) throw new Error('WorkPool: push after close');
    for (const item of items) this.queue.push(item);
    this.wake();
  }

  /** No more items will come: the workers end once the queue is empty. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** Starts nothing more; items under way finish. */
  stop(): void {
    this.stopped = true;
    this.wake();
  }

  private wake(): void {
    const w = this.idle;
    this.idle = [];
    for (const f of w) f();
  }

  private next(): { item: T } | undefined {
    if (this.head >= this.queue.length) return undefined;
    const item = this.queue[this.head];
    // Shifting thousands of items one by one is quadratic; drop the consumed part now and then.
    this.queue[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return { item };
  }

  private async worker(): Promise<void> {
    while (!this.stopped) {
      const n = this.next();
      if (n) {
        try {
          await this.opts.run(n.item);
        } catch (e) {
          this.failure ??= { error: e };
          this.stop();
        }
      } else if (this.closed) {
        return;
      } else {
        await new Promise<void>((r) => this.idle.push(r));
      }
    }
  }
}
