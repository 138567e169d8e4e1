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
