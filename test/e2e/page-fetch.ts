/** What one call from a page got: its status and the rate-limit headers. */
export interface CallReply {
  status: number;
  limit: string | null;
  remaining: string | null;
}

/**
 * Runs inside a page (Playwright's and puppeteer's `page.evaluate` both take it): one API call
 * with a key of its own, its body read as a careful client does.
 */
export async function fetchWithKey({ url, key }: { url: string; key: string }): Promise<CallReply> {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
  await res.text();
  return {
    status: res.status,
    limit: res.headers.get("X-RateLimit-Limit"),
    remaining: res.headers.get("X-RateLimit-Remaining"),
  };
}

/** What a burst from a page got: how many responses of each status ("failed": no response). */
export interface BurstReply {
  statuses: Record<string, number>;
  ms: number;
}

/**
 * Runs inside a page, as `fetchWithKey` does: `total` calls with one key, `inFlight` of them at a
 * time, each body read to the end. Resolves once every one has its response (or has failed).
 */
export async function fetchBurst({
  url,
  key,
  total,
  inFlight,
}: {
  url: string;
  key: string;
  total: number;
  inFlight: number;
}): Promise<BurstReply> {
  const started = performance.now();
  const statuses: Record<string, number> = {};
  let next = 0;
  async function lane(): Promise<void> {
    while (next < total) {
      next++;
      let status = "failed";
      try {
        const res = await fetch(url, { headers: { Authorization: `Bearer ${key}` } });
        await res.text();
        status = String(res.status);
      } catch {}
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, lane));
  return { statuses, ms: Math.round(performance.now() - started) };
}
