/**
 * A one-consumer async queue between a Node stream's callbacks and a `for await` loop. The
 * producer pushes items and ends it (with an error, or cleanly); the consumer breaking out of
 * its loop calls `onClose`, which releases the producer (destroys the HTTP stream).
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private failWaiting: ((e: unknown) => void) | undefined;
  private done = false;
  private error: unknown;

  constructor(private readonly onClose: () => void) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) this.settle({ value: item, done: false });
    else this.items.push(item);
  }

  /** Ends the iteration after the queued items; with an error, the consumer's loop throws it. */
  end(error?: unknown): void {
    if (this.done) return;
    this.done = true;
    this.error = error;
    if (!this.waiting) return;
    if (error !== undefined) this.fail(error);
    else this.settle({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.done) {
          const error = this.error;
          this.error = undefined;
          return error !== undefined ? Promise.reject(error) : Promise.resolve({ value: undefined, done: true });
        }
        return new Promise<IteratorResult<T>>((resolve, reject) => {
          this.waiting = resolve;
          this.failWaiting = reject;
        });
      },
      return: () => {
        this.done = true;
        this.items.length = 0;
        this.onClose();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  private settle(r: IteratorResult<T>): void {
    const resolve = this.waiting!;
    this.waiting = this.failWaiting = undefined;
    resolve(r);
  }

  private fail(e: unknown): void {
    const reject = this.failWaiting!;
    this.waiting = this.failWaiting = undefined;
    reject(e);
  }
}
