import { describe, expect, it } from "vitest";
import { normaliseHost, parseSettings } from "./settings.js";

describe("parseSettings", () => {
  it("keeps valid hosts and limits, lower-cased", () => {
    expect(
      parseSettings({
        hosts: [
          { host: "Staging.Casola.ai", provider: "casola" },
          { host: "127.0.0.1:8080", provider: "cuadra" },
        ],
        limits: [{ host: "127.0.0.1:8080", limit: 30, windowSeconds: 60 }],
      }),
    ).toEqual({
      hosts: [
        { host: "staging.casola.ai", provider: "casola" },
        { host: "127.0.0.1:8080", provider: "cuadra" },
      ],
      limits: [{ host: "127.0.0.1:8080", limit: 30, windowSeconds: 60 }],
    });
  });

  it("drops what it cannot read instead of failing", () => {
    expect(parseSettings(null)).toEqual({ hosts: [], limits: [] });
    expect(
      parseSettings({
        hosts: [
          null,
          { host: "https://x.dev/", provider: "casola" },
          { host: "x.dev", provider: "y" },
        ],
        limits: [
          { host: "x.dev", limit: -1, windowSeconds: 60 },
          { host: "x.dev", limit: 5 },
        ],
      }),
    ).toEqual({ hosts: [], limits: [] });
  });
});

describe("normaliseHost", () => {
  it("takes a hostname with an optional port", () => {
    expect(normaliseHost(" API.example.com ")).toBe("api.example.com");
    expect(normaliseHost("localhost:3000")).toBe("localhost:3000");
    expect(normaliseHost("[::1]:8443")).toBe("[::1]:8443");
    expect(normaliseHost("http://x")).toBeUndefined();
    expect(normaliseHost("a b")).toBeUndefined();
  });
});
