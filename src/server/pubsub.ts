/**
 * In-process publish/subscribe for GraphQL subscriptions. Each subscriber has its own
 * queue, so a publisher never waits; a subscriber that falls `maxQueued` events behind
 * is ended with an error (it resubscribes and re-reads history) instead of growing
 * without bound or dropping events silently.
 */
export class PubSub<T> {
  private readonly topics = new Map<string, Set<Subscription<T>>>();

  constructor(private readonly maxQueued = 10_000) {}

  publish(topic: string, payload: T): void {
    for (const subscription of this.topics.get(topic) ?? []) subscription.push(payload);
  }

  subscribe(topic: string): AsyncIterableIterator<T> {
    let set = this.topics.get(topic);
    if (!set) this.topics.set(topic, (set = new Set()));
    const subscription = new Subscription<T>(this.maxQueued, () => {
      set.delete(subscription);
      if (set.size === 0 && this.topics.get(topic) === set) this.topics.delete(topic);
    });
    set.add(subscription);
    return subscription;
  }

  subscriberCount(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  /** Ends every subscription (server shutdown). */
  closeAll(): void {
    for (const set of [...this.topics.values()]) for (const subscription of [...set]) void subscription.return();
  }
}

class Subscription<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;
  private overflow: Error | null = null;

  constructor(
    private readonly maxQueued: number,
    private readonly onClose: () => void,
  ) {}

  push(value: T): void {
    if (this.done || this.overflow) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
    } else if (this.queue.length >= this.maxQueued) {
      this.overflow = new Error(`subscriber fell more than ${this.maxQueued} events behind; subscribe again and re-read the history`);
      this.onClose();
    } else {
      this.queue.push(value);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length) return Promise.resolve({ value: this.queue.shift() as T, done: false });
    if (this.overflow) {
      const error = this.overflow;
      this.finish();
      return Promise.reject(error);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.finish();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    this.onClose();
    const resolve = this.waiting;
    this.waiting = null;
    resolve?.({ value: undefined, done: true });
  }
}
