import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { entry, T0 } from "../core/test-support/entry.js";
import { type PanelReport, reportToBackground } from "./report-to-background.js";
import { PanelStore } from "./store.js";

const quota = () =>
  entry({
    url: "https://api.casola.ai/v1/jobs",
    status: 429,
    time: 120,
    body: JSON.stringify({ error: { code: "quota_exceeded", message: "Plan usage limit" } }),
  });

describe("reportToBackground", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends the decoded codes once each, batched, with the findings count", async () => {
    const store = new PanelStore();
    const reports: PanelReport[] = [];
    reportToBackground(store, async (r) => void reports.push(r), 500);
    store.add(quota(), "live");
    store.add(entry({ url: "https://api.casola.ai/v1/jobs", startedDateTime: T0 + 1000 }), "live");
    await vi.advanceTimersByTimeAsync(500);
    expect(reports).toEqual([
      {
        decoded: [
          {
            url: "https://api.casola.ai/v1/jobs",
            status: 429,
            code: "quota_exceeded",
            at: T0 + 120,
          },
        ],
        findings: store.session.findings.length,
      },
    ]);
    // Nothing new: nothing sent.
    store.setPreserveLog(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(reports).toHaveLength(1);
  });

  it("starts over after a clear, and survives a background that is not there", async () => {
    const store = new PanelStore();
    const reports: PanelReport[] = [];
    let fail = true;
    reportToBackground(store, async (r) => {
      if (fail) throw new Error("Could not establish connection");
      reports.push(r);
    });
    store.add(quota(), "live");
    await vi.advanceTimersByTimeAsync(500);
    fail = false;
    store.clear();
    store.add(quota(), "live");
    await vi.advanceTimersByTimeAsync(500);
    expect(reports.map((r) => r.decoded.length)).toEqual([1]);
  });
});
