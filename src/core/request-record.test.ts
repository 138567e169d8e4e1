import { describe, expect, it } from "vitest";
import { entry, T0 } from "../../test/support/har.js";
import { Analyzer } from "./analyzer.js";
import { readRecord, recordFromEntry, recordFromWebRequest } from "./request-record.js";

const LIMITS = { "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "42" };

describe("a request record", () => {
  it("keeps only the rate-limit headers, names lower-case and sorted, and no URL secret", () => {
    const record = recordFromWebRequest(
      {
        url: "https://api.casola.ai/v1/jobs?api_key=SECRET&page=2",
        method: "get",
        timeStamp: T0 + 250.4,
        statusCode: 429,
        responseHeaders: [
          { name: "X-RateLimit-Remaining", value: "0" },
          { name: "Set-Cookie", value: "sid=SECRET" },
          { name: "Date", value: "Mon, 23 Nov 2026 10:00:00 GMT" },
        ],
      },
      T0,
    );
    expect(record).toEqual({
      method: "GET",
      url: "https://api.casola.ai/v1/jobs?api_key=[redacted]&page=2",
      status: 429,
      start: T0,
      end: T0 + 250,
      rateLimit: [
        { name: "date", value: "Mon, 23 Nov 2026 10:00:00 GMT" },
        { name: "x-ratelimit-remaining", value: "0" },
      ],
      code: null,
    });
  });

  it("reads a network error as status 0 and a start it does not know as the end", () => {
    const record = recordFromWebRequest(
      { url: "https://api.casola.ai/v1/x", method: "POST", timeStamp: T0 },
      undefined,
    );
    expect(record).toMatchObject({ status: 0, start: T0, end: T0 });
  });

  it("is the same request from the panel's entry and from webRequest, the entry's code added", () => {
    const har = entry({ status: 429, headers: { ...LIMITS, ETag: "e" }, time: 120 });
    const fromEntry = recordFromEntry(har, { error: { code: "rate_limit" } });
    const fromWebRequest = recordFromWebRequest(
      {
        url: har.request.url,
        method: "GET",
        timeStamp: T0 + 120,
        statusCode: 429,
        responseHeaders: har.response.headers,
      },
      T0,
    );
    expect(fromEntry).toEqual({ ...fromWebRequest, code: "rate_limit" });
    expect(
      recordFromEntry({ ...har, startedDateTime: "never" }, { error: undefined }),
    ).toBeUndefined();
  });

  it("is made again from a message: what is not a rate-limit header goes, what is not a record is refused", () => {
    const read = readRecord({
      method: "GET",
      url: "https://api.casola.ai/v1/jobs?token=SECRET",
      status: -1,
      start: T0,
      end: T0 + 10,
      rateLimit: [{ name: "Authorization", value: "Bearer SECRET" }],
      code: null,
    });
    expect(JSON.stringify(read)).not.toContain("SECRET");
    expect(read).toMatchObject({ status: 0, rateLimit: [] });
    for (const broken of [
      null,
      {},
      { method: "GET", url: "x", start: T0, end: "soon", rateLimit: [], code: null },
      { method: "GET", url: "x", start: 1e300, end: 1e300, rateLimit: [], code: null },
    ])
      expect(readRecord(broken)).toBeUndefined();
  });

  it("counts in the Analyzer the budget and the host's errors its entry counts", () => {
    const entries = [0, 1, 2].map((i) =>
      entry({
        startedDateTime: T0 + i * 1000,
        status: i === 1 ? 429 : 200,
        headers: { "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": String(50 - i) },
      }),
    );
    const byEntry = new Analyzer({ rules: false, keepEntries: false });
    const byRecord = new Analyzer({ rules: false, keepEntries: false });
    entries.forEach((e, i) => {
      const analysis = byEntry.add(e, i);
      if (analysis === undefined) throw new Error("not analysed");
      const record = recordFromEntry(e, analysis);
      if (record === undefined) throw new Error("no record");
      byRecord.addRecord(record, i);
    });
    expect(byRecord.budgets()).toEqual(byEntry.budgets());
    expect(byRecord.budgets()[0]).toMatchObject({ limit: 100, remaining: 48 });
    expect(byRecord.errorsOf("api.casola.ai")).toEqual(byEntry.errorsOf("api.casola.ai"));
    expect(byRecord.errorsOf("api.casola.ai")).toEqual([
      { status: 429, code: null, count: 1, last: T0 + 1100 },
    ]);
  });
});
