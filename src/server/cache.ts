// Response cache of the API: serialized answers per (route, query, role, warehouse build), least
// recently used dropped first. It holds promises, so concurrent identical requests run the services once.

export interface CachedBody {
  /** The JSON text sent. */
  body: string;
  /** Strong validator of the body, for If-None-Match. */
  etag: string;
}

export class ResponseCache {
  private readonly entries = new Map<string, Promise<CachedBody>>();
  private readonly max: number;
  hits = 0;
  misses = 0;

  constructor(maxEntries: number) {
    this.max = maxEntries;
  }

  /** The cached answer for `key`, or `compute()`'s, stored unless it fails (errors are not cached). */
  get(key: string, compute: () => Promise<CachedBody>): Promise<CachedBody> {
    if (this.max === 0) return compute();
    const found = this.entries.get(key);
    if (found) {
      this.hits += 1;
      // Re-insert to mark it most recently used (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    this.misses += 1;
    const pending = compute();
    this.entries.set(key, pending);
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return pending;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
