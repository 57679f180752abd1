import pLimit, { type LimitFunction } from "p-limit";

/** Politeness: at most `perHost` requests in flight to any one host, however many sources share it. */
export class HostLimiter {
  readonly #perHost: number;
  readonly #limits = new Map<string, LimitFunction>();

  constructor(perHost: number) {
    if (!Number.isInteger(perHost) || perHost < 1) {
      throw new RangeError(`perHost must be a positive integer, got ${perHost}`);
    }
    this.#perHost = perHost;
  }

  run<T>(host: string, fn: () => Promise<T>): Promise<T> {
    const key = host.toLowerCase();
    let limit = this.#limits.get(key);
    if (limit === undefined) {
      limit = pLimit(this.#perHost);
      this.#limits.set(key, limit);
    }
    return limit(fn);
  }
}
