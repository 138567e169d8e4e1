import { describe, expect, it } from "vitest";
import { toHeaderMap } from "../headers/header-map.js";
import { credentialsOf } from "./credentials.js";
import { requestKindOf } from "./request-kind.js";

const headers = (record: Record<string, string>) =>
  toHeaderMap(Object.entries(record).map(([name, value]) => ({ name, value })));

describe("requestKindOf", () => {
  it.each([
    ["fetch", "client"],
    ["xhr", "client"],
    ["XHR", "client"],
    ["document", "navigation"],
    ["image", "asset"],
    ["other", "asset"],
    ["font", "asset"],
    [undefined, "unknown"],
    [42, "unknown"],
  ])("reads Chrome's _resourceType %j as %s", (type, kind) => {
    expect(requestKindOf(type, new Map())).toBe(kind);
  });

  it.each([
    ["empty", "client"],
    ["document", "navigation"],
    ["iframe", "asset"],
    ["image", "asset"],
    ["script", "asset"],
  ])("reads Sec-Fetch-Dest %s as %s, over _resourceType", (dest, kind) => {
    expect(requestKindOf("fetch", headers({ "Sec-Fetch-Dest": dest }))).toBe(kind);
  });
});

describe("credentialsOf", () => {
  it("changes with Cookie, Authorization or an added key, and not with other headers", () => {
    const base = credentialsOf(headers({ Cookie: "a=1", Accept: "*/*" }), []);
    expect(credentialsOf(headers({ Cookie: "a=1", Accept: "text/html" }), [])).toBe(base);
    expect(credentialsOf(headers({ Cookie: "a=2" }), [])).not.toBe(base);
    expect(credentialsOf(headers({ Cookie: "a=1", "X-API-Key": "k" }), [])).not.toBe(base);
    expect(credentialsOf(headers({ Cookie: "a=1", Authorization: "Bearer x" }), [])).not.toBe(base);
  });

  it("reads the HAR's cookies when no Cookie header was kept, and never the values themselves", () => {
    const print = credentialsOf(new Map(), [{ name: "sid", value: "secret-value" }]);
    expect(print).not.toBe("");
    expect(print).not.toContain("secret");
    expect(credentialsOf(new Map(), [])).toBe("");
  });
});
