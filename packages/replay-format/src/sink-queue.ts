import { ReplayError } from './replay-error';

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

/**
 * Runs a writer's sink calls one after another: a call that returns a promise holds back the
 * next until it settles, a synchronous one runs at once. The first failure (thrown or
 * rejected) stops the queue; it is kept as a {@link ReplayError} `SINK_FAILED`.
 */
export class SinkQueue {
  /** The first failure of the sink, if any. */
  failure: ReplayError | undefined;
  private pending: Promise<void> | undefined;

  /** Runs `step` after the calls before it; nothing once the sink has failed. */
  run(step: () => unknown): void {
    if (this.failure) return;
    if (this.pending) {
      const next: Promise<void> = this.pending.then(() => {
        if (this.failure) return;
        return Promise.resolve(step()).then(() => undefined);
      });
      this.track(next);
      return;
    }
    try {
      const result = step();
      if (isPromiseLike(result)) this.track(Promise.resolve(result).then(() => undefined));
    } catch (cause) {
      this.fail(cause);
    }
  }

  /** Resolves when every call has run; rejects with the failure if the sink failed. */
  async settled(): Promise<void> {
    while (this.pending) await this.pending;
    if (this.failure) throw this.failure;
  }

  private track(call: Promise<void>): void {
    const tracked: Promise<void> = call.catch(this.fail).finally(() => {
      if (this.pending === tracked) this.pending = undefined;
    });
    this.pending = tracked;
  }

  private readonly fail = (cause: unknown): void => {
    this.failure ??= new ReplayError('SINK_FAILED', `the replay sink failed: ${String(cause)}`, {
      cause,
    });
  };
}
