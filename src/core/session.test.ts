import { describe, expect, it } from "vitest";
import { entry, T0 } from "../../test/support/har.js";
import { PartPool, packEntry, unpackEntry } from "./pack-entry.js";
import { KEPT_ERROR_BODY_CHARS, Session } from "./session.js";
import type { HarEntry } from "./types.js";

const API = "https://api.casola.ai/v1/models";

function at(i: number) {
  return new Date(T0 + i * 1000).toISOString();
}

describe("Session", () => {
  it("gives the report's chains and cost alone, as the report has them", () => {
    const session = new Session();
    const quota = {
      method: "POST",
      url: "https://api.casola.ai/v1/jobs",
      status: 429,
      body: '{"error":{"code":"quota_exceeded","message":"Plan usage limit reached"}}',
      time: 100,
    };
    session.add(entry({ ...quota, startedDateTime: T0 }), "live");
    session.add(entry({ ...quota, startedDateTime: T0 + 500 }), "live");
    const { chains, cost } = session.report();
    expect(chains).toHaveLength(1);
    expect(session.chains()).toEqual({ chains, cost });
  });

  it("releases the bodies of the oldest entries past bodiesKept, keeping metadata and findings", () => {
    const session = new Session({ bodiesKept: 10 });
    const quota = JSON.stringify({ error: { code: "quota_exceeded", message: "Quota exceeded" } });
    // A retried quota_exceeded: a finding on the second request.
    session.add(entry({ status: 429, body: quota, startedDateTime: at(0) }), "live");
    session.add(entry({ status: 429, body: quota, startedDateTime: at(1) }), "live");
    const big = "x".repeat(KEPT_ERROR_BODY_CHARS + 1);
    session.add(entry({ status: 500, body: big, startedDateTime: at(2) }), "live");
    for (let i = 3; i < 12; i++) {
      session.add(
        entry({ url: `${API}?n=${i}`, body: '{"models":[]}', startedDateTime: at(i) }),
        "live",
      );
    }
    // 12 entries, past the cap of 10 plus a slack of 1: the two oldest release, but they are
    // small error bodies, which stay.
    expect(session.released).toBe(0);
    const findings = session.findings.length;
    expect(findings).toBeGreaterThan(0);
    session.add(entry({ url: API, body: "{}", startedDateTime: at(12) }), "live");
    expect(session.released).toBe(0);
    session.add(entry({ url: API, body: "{}", startedDateTime: at(13) }), "live");
    // 14 entries: the next two release, down to the newest ten.
    const [first, second, third, fourth, fifth] = session.entries;
    expect(first?.entry.response.content.text).toBe(quota);
    expect(first?.bodyReleased).toBeUndefined();
    expect(third?.bodyReleased).toBe(true);
    expect(third?.entry.response.content.text).toBeUndefined();
    expect(third?.entry.response.status).toBe(500);
    expect(third?.analysis.error?.status).toBe(500);
    expect(fourth?.bodyReleased).toBe(true);
    expect(fifth?.entry.response.content.text).toBe('{"models":[]}');
    expect(session.released).toBe(2);
    expect(second?.findings.length).toBeGreaterThan(0);
    expect(session.findings.length).toBe(findings);
    const releases = session.releases;
    // Re-analysis under new settings reads the kept error bodies again: the quota_exceeded retry
    // is still found. (What only a released body showed, here the 500's broken envelope, is not.)
    const rules = (s: Session) => s.findings.map((f) => f.rule);
    expect(rules(session)).toContain("contract-breach");
    session.reconfigure({ bodiesKept: 10 });
    expect(session.entries[1]?.findings.map((f) => f.rule)).toContain("retry-non-retryable");
    expect(rules(session)).not.toContain("contract-breach");
    expect(session.entries).toHaveLength(14);
    expect(session.releases).toBeGreaterThanOrEqual(releases);
  });

  it("releases request bodies too, and never changes an imported file's entries", () => {
    const posted = (i: number) => ({
      ...entry({ url: `${API}?n=${i}`, body: '{"ok":true}', startedDateTime: at(i) }),
      request: {
        ...entry({ url: `${API}?n=${i}`, startedDateTime: at(i) }).request,
        method: "POST",
        postData: { mimeType: "application/json", text: '{"prompt":"a long prompt"}' },
      },
    });
    const file = Array.from({ length: 300 }, (_, i) => posted(i));
    const session = new Session({ bodiesKept: 100 });
    session.import({ entries: file });
    expect(session.released).toBe(200);
    expect(session.entries[0]?.entry.request.postData?.text).toBe("");
    expect(session.entries[0]?.entry.response.content.text).toBeUndefined();
    expect(session.entries[299]?.entry.response.content.text).toBe('{"ok":true}');
    expect(file[0]?.request.postData?.text).toBe('{"prompt":"a long prompt"}');
    expect(file[0]?.response.content.text).toBe('{"ok":true}');
  });

  it("re-analyses an imported file from its own entries, with their indices and what was skipped", () => {
    const quota = '{"error":{"code":"quota_exceeded","message":"Plan usage limit reached"}}';
    const file = [
      entry({ url: `${API}?n=0`, body: '{"models":[]}', startedDateTime: at(2) }),
      entry({ status: 429, body: quota, startedDateTime: at(0) }),
      entry({ status: 429, body: quota, startedDateTime: at(1) }),
    ];
    const skipped = [{ index: 3, reason: "has no request.url" }];
    const session = new Session({ bodiesKept: 1 });
    session.import({ entries: file, indices: [0, 1, 2], skipped });
    const before = session.report();
    // Whoever read the file lets it go: the session holds what it kept, packed past the cap.
    file.length = 0;
    session.reconfigure({ bodiesKept: 1, limits: [] });
    const after = session.report();
    expect(session.entries.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(after.findings).toEqual(before.findings);
    expect(after.findings.map((f) => f.rule)).toContain("retry-non-retryable");
    expect(after.entries).toEqual(before.entries);
    expect(after.summary).toEqual(before.summary);
    expect(after.skipped).toEqual(skipped);
    expect(session.entry(2)?.analysis.error?.code).toBe("quota_exceeded");
  });

  it("holds entries past the cap packed, rebuilt as they were less their bodies", () => {
    const chromeLike = (i: number): HarEntry => {
      const har = entry({
        url: `${API}?n=${i}`,
        method: "POST",
        status: i === 3 ? 404 : 200,
        body: i === 3 ? '{"error":{"code":"not_found","message":"No"}}' : `{"n":${i},"é":"ü"}`,
        startedDateTime: at(i),
        headers: { "X-Request-Id": `req_${i}`, "X-RateLimit-Remaining": String(99 - i) },
        requestHeaders: { Authorization: "Bearer k", "User-Agent": "Chrome/156" },
        postData: JSON.stringify({ prompt: `p${i}` }),
      });
      return {
        ...har,
        timings: { blocked: 0.5, dns: -1, connect: -1, send: 0.1, wait: 11, receive: 0.9, ssl: -1 },
        _initiator: {
          type: "script",
          stack: { callFrames: [{ functionName: "f", url: "http://x/a.js", lineNumber: 4 }] },
        },
        _priority: "High",
      } as HarEntry;
    };
    const originals = Array.from({ length: 14 }, (_, i) => chromeLike(i));
    const copies = structuredClone(originals);
    const session = new Session({ bodiesKept: 10 });
    for (const har of originals) session.add(har, "live");
    // The four oldest are past the cap: released (what the panel reads), and held packed; the
    // 404's small error body is kept in its packed form.
    expect(session.released).toBe(4);
    expect(session.entries.map((item) => item.bodyReleased === true)).toEqual([
      ...Array(4).fill(true),
      ...Array(10).fill(false),
    ]);
    for (const [i, item] of session.entries.slice(0, 4).entries()) {
      const expected = structuredClone(copies[i]) as HarEntry;
      if (i !== 3) {
        delete expected.response.content.text;
        (expected.request.postData as { text: string }).text = "";
      } else {
        (expected.request.postData as { text: string }).text = "";
      }
      expect(item.entry).toStrictEqual(expected);
      // Same keys in the same order: an export writes the same text.
      expect(JSON.stringify(item.entry)).toBe(JSON.stringify(expected));
      expect(item.status).toBe(i === 3 ? 404 : 200);
      expect(item.bodyReleased).toBe(true);
      // The same object while it is held: a view's memo keeps.
      expect(item.entry).toBe(item.entry);
    }
    expect(session.entries[3]?.entry.response.content.text).toContain("not_found");
    expect(session.entries[3]?.searchText).toContain("not_found");
    expect(session.entries[0]?.searchText).not.toContain('"n"');
    expect(session.entries[13]?.searchText).toContain('{"n":13,"é":"ü"}');
    // What the session was given is not changed.
    expect(originals).toStrictEqual(copies);
  });

  it("packs entries as a shared shape and interned strings, and rebuilds any JSON entry", () => {
    const pool = new PartPool();
    const a = entry({ url: `${API}?a`, requestHeaders: { Accept: "*/*" } });
    const b = entry({ url: `${API}?b`, requestHeaders: { Accept: "*/*" } });
    const packedA = packEntry(structuredClone(a), pool) as readonly unknown[];
    const packedB = packEntry(structuredClone(b), pool) as readonly unknown[];
    expect(unpackEntry(packedA)).toStrictEqual(a);
    expect(unpackEntry(packedB)).toStrictEqual(b);
    // One shape; "*/*" read from two copies, held once.
    expect(packedA[0]).toBe(packedB[0]);
    const star = packedA.indexOf("*/*");
    expect(star).toBeGreaterThan(0);
    expect(Object.is(packedA[star], packedB[star])).toBe(true);
    // Entries lacking parts, odd keys, values JSON has no word for.
    const bare = JSON.parse(
      '{"request":{"method":"GET","url":"u","__proto__":{"x":1},"0":[1,null,"s",[true]]},"response":{"status":0}}',
    );
    bare.time = Number.NaN;
    bare.skipped = undefined;
    const rebuilt = unpackEntry(packEntry(bare) as readonly unknown[]) as unknown as typeof bare;
    const { skipped: _skipped, ...expected } = bare;
    expect(rebuilt).toStrictEqual(expected);
    expect(Object.keys(rebuilt.request)).toEqual(Object.keys(bare.request));
    expect(Object.hasOwn(rebuilt.request, "__proto__")).toBe(true);
    const cyclic = entry() as HarEntry & { self?: unknown };
    cyclic.self = cyclic;
    expect(packEntry(cyclic)).toBeUndefined();
  });

  it("keeps every body without a cap, and lists its hosts sorted as they come", () => {
    const session = new Session();
    session.add(entry({ url: "https://api.cuadra.ai/v1/models", body: "{}" }), "live");
    session.add(entry({ url: API, body: "{}", startedDateTime: at(1) }), "live");
    expect(session.hosts).toEqual(["api.casola.ai", "api.cuadra.ai"]);
    const hosts = session.hosts;
    session.add(entry({ url: API, body: "{}", startedDateTime: at(2) }), "live");
    // No new host: the same list, not one made again.
    expect(session.hosts).toBe(hosts);
    expect(session.released).toBe(0);
    session.clear();
    expect(session.hosts).toEqual([]);
  });

  it("reads a request without a response as status 0, whatever the recorder wrote (0, Playwright's -1)", () => {
    const session = new Session();
    for (const [i, status] of [-1, 0, 503].entries()) {
      const e = entry({ url: API, startedDateTime: at(i) });
      (e.response as { status: unknown }).status = status;
      session.add(e, "live");
    }
    expect(session.entries.map((item) => item.status)).toEqual([0, 0, 503]);
  });
});
