/**
 * The reads of one computation that reads the same things many times — the LLM context computes readiness, health
 * scores and correlations, each reading the user, the workspace's source priority and the user's days. The memo
 * lives as long as that computation (one request's one field), so nothing in it can go stale; a ServiceContext
 * without one reads the database every time.
 */
export class ReadMemo {
  private readonly reads = new Map<string, Promise<unknown>>();
  private readonly spans: { key: string; from: string; to: string; value: Promise<unknown> }[] = [];

  /** The read of `key`, made once. */
  once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let value = this.reads.get(key) as Promise<T> | undefined;
    if (!value) this.reads.set(key, (value = read()));
    return value;
  }

  /** Holds a read of the days from–to (YYYY-MM-DD) of `key`, for any part of them (see `covering`). */
  hold<T>(key: string, from: string, to: string, value: Promise<T>): Promise<T> {
    this.spans.push({ key, from, to, value });
    return value;
  }

  /** A held read of `key` whose days include from–to, if any (its caller keeps the part it needs). */
  covering<T>(key: string, from: string, to: string): Promise<T> | undefined {
    return this.spans.find((span) => span.key === key && span.from <= from && to <= span.to)?.value as Promise<T> | undefined;
  }
}

/** A read made once per memo when the context has one, else every time. */
export function readOnce<T>(ctx: { reads?: ReadMemo }, key: string, read: () => Promise<T>): Promise<T> {
  return ctx.reads ? ctx.reads.once(key, read) : read();
}
