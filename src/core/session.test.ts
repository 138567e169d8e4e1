import { describe, expect, it } from "vitest";
import { entry, T0 } from "../../test/support/har.js";
import { KEPT_ERROR_BODY_CHARS, Session } from "./session.js";

const API = "https://api.casola.ai/v1/models";

function at(i: number) {
  return new Date(T0 + i * 1000).toISOString();
}

describe("Session", () => {
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
});
