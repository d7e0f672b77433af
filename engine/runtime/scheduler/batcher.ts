/**
 * Coalesces calls made in the same turn of the event loop into one call with all of them:
 * the timers of a thousand jobs due at one second fire together, and one INSERT of a thousand
 * rows costs about what one row costs, where a thousand INSERTs cost a thousand round trips.
 */
export class Batcher<I, O> {
  #items: Array<{ item: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  #scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxSize = 1000,
    /** Wait this long for more items before flushing; 0 = at the end of this turn of the loop. */
    private readonly lingerMs = 0,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#items.push({ item, resolve, reject });
      if (this.#items.length >= this.maxSize) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        // After the timers phase: every timer due now has added its item by then.
        if (this.lingerMs > 0) setTimeout(() => this.#flush(), this.lingerMs);
        else setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#items;
    this.#items = [];
    if (batch.length === 0) return;
    this.run(batch.map((b) => b.item)).then(
      (out) => batch.forEach((b, i) => b.resolve(out[i])),
      (err: unknown) => batch.forEach((b) => b.reject(err)),
    );
  }
}
