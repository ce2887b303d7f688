/** Unsubscribes the listener it was returned for. */
export type Unsubscribe = () => void;

/**
 * A small typed event emitter. Unlike Node's, an `error` event without listeners is not thrown:
 * the reader reports problems, it does not crash the racer's client.
 */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  /** Calls `listener` on every `event`; returns a function that stops it. */
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): Unsubscribe {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (payload: never) => void);
    return () => this.off(event, listener);
  }

  /** Stops calling `listener` on `event`. */
  off<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): void {
    this.#listeners.get(event)?.delete(listener as (payload: never) => void);
  }

  /** Calls the listeners of `event` in subscription order. */
  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined || set.size === 0) return;
    for (const listener of [...set]) (listener as (payload: Events[K]) => void)(payload);
  }

  /** Number of listeners of `event`. */
  count(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}
