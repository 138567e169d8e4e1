import { describe, expect, it } from "vitest";
import { type HeaderInput, harHeaders } from "../../../test/support/har.js";
import { type HeaderMap, toHeaderMap } from "./header-map.js";
import { isRateLimitHeader } from "./is-rate-limit-header.js";
import { parseRetryAfter } from "./parse-retry-after.js";

function headers(input: HeaderInput): HeaderMap {
  return toHeaderMap(harHeaders(input));
}

describe("parseRetryAfter with Azure's x-ms-retry-after-ms", () => {
  it("reads x-ms-retry-after-ms as a wait in milliseconds, and names it", () => {
    expect(parseRetryAfter(headers({ "x-ms-retry-after-ms": "1500" }))).toEqual({
      kind: "delay",
      seconds: 1.5,
      header: "x-ms-retry-after-ms",
    });
    expect(parseRetryAfter(headers({ "X-Ms-Retry-After-Ms": "250.5" }))).toMatchObject({
      seconds: expect.closeTo(0.2505, 6),
      header: "x-ms-retry-after-ms",
    });
  });

  it("lets x-ms-retry-after-ms win over Retry-After", () => {
    expect(parseRetryAfter(headers({ "Retry-After": "2", "x-ms-retry-after-ms": "1500" }))).toEqual(
      { kind: "delay", seconds: 1.5, header: "x-ms-retry-after-ms" },
    );
  });

  it("lets retry-after-ms win over x-ms-retry-after-ms", () => {
    expect(
      parseRetryAfter(
        headers({ "retry-after-ms": "900", "x-ms-retry-after-ms": "1500", "Retry-After": "2" }),
      ),
    ).toEqual({ kind: "delay", seconds: 0.9, header: "retry-after-ms" });
  });

  it("falls through garbage in x-ms-retry-after-ms to Retry-After, or to nothing", () => {
    for (const garbage of ["", "soon", "-1", "1,5", "1.5s", "0x10", "1e3", "12345678901234"]) {
      expect(
        parseRetryAfter(headers({ "x-ms-retry-after-ms": garbage, "Retry-After": "2" })),
        garbage,
      ).toEqual({ kind: "delay", seconds: 2, header: "retry-after" });
      expect(parseRetryAfter(headers({ "x-ms-retry-after-ms": garbage })), garbage).toBe(undefined);
    }
  });

  it("lets a valid x-ms-retry-after-ms speak when retry-after-ms is garbage", () => {
    expect(
      parseRetryAfter(headers({ "retry-after-ms": "soon", "x-ms-retry-after-ms": "3000" })),
    ).toEqual({ kind: "delay", seconds: 3, header: "x-ms-retry-after-ms" });
  });

  it("is a header the background keeps of a response", () => {
    expect(isRateLimitHeader("x-ms-retry-after-ms")).toBe(true);
    expect(isRateLimitHeader("X-MS-Retry-After-Ms")).toBe(true);
    expect(isRateLimitHeader("x-ms-request-id")).toBe(false);
  });
});
