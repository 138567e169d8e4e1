import { describe, expect, it } from "vitest";
import {
  analysedHosts,
  checkBodiesKept,
  checkHost,
  checkLimit,
  checkRetentionMinutes,
  DEFAULT_SETTINGS,
  normaliseHost,
  parseSettings,
  SETTINGS_VERSION,
  toStored,
  withHost,
  withLimit,
  withoutHost,
  withoutLimit,
  withPreset,
} from "./settings.js";

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
      presets: [],
      limits: [{ host: "127.0.0.1:8080", limit: 30, windowSeconds: 60 }],
      preserveLog: false,
      retentionMinutes: 10,
      bodiesKept: 20_000,
    });
  });

  it("migrates version 1, which stored only hosts and limits, to the defaults for the rest", () => {
    const v1 = { hosts: [{ host: "x.dev", provider: "generic" }], limits: [] };
    expect(parseSettings(v1)).toEqual({
      ...DEFAULT_SETTINGS,
      hosts: [{ host: "x.dev", provider: "generic" }],
    });
  });

  it("migrates version 2, which stored no presets, to none on", () => {
    const v2 = { version: 2, hosts: [], limits: [], preserveLog: true };
    expect(parseSettings(v2)).toEqual({ ...DEFAULT_SETTINGS, preserveLog: true });
  });

  it("keeps the presets it knows, once each, in the presets' order", () => {
    expect(parseSettings({ presets: ["azure-openai", "openai", "openai"] }).presets).toEqual([
      "openai",
      "azure-openai",
    ]);
    expect(parseSettings({ presets: ["OpenAI", "azure", 7, null] }).presets).toEqual([]);
    expect(parseSettings({ presets: "openai" }).presets).toEqual([]);
  });

  it("stores the version with the settings, and reads its own output back unchanged", () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      presets: ["github" as const],
      preserveLog: true,
      retentionMinutes: 30,
    };
    const stored = toStored(settings);
    expect(stored.version).toBe(SETTINGS_VERSION);
    expect(parseSettings(stored)).toEqual(settings);
  });

  it("takes the default for a retention out of range", () => {
    for (const retentionMinutes of [0, -5, 1.5, 100_000, "10"]) {
      expect(parseSettings({ retentionMinutes }).retentionMinutes).toBe(10);
    }
  });

  it("keeps a whole number of bodies in range, and takes the default otherwise", () => {
    expect(parseSettings({ bodiesKept: 5000 }).bodiesKept).toBe(5000);
    for (const bodiesKept of [0, 99, 2.5, 2_000_000, "5000", null]) {
      expect(parseSettings({ bodiesKept }).bodiesKept).toBe(DEFAULT_SETTINGS.bodiesKept);
    }
  });

  it("drops what it cannot read instead of failing", () => {
    expect(parseSettings(null)).toEqual(DEFAULT_SETTINGS);
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
    ).toEqual(DEFAULT_SETTINGS);
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

describe("checkHost", () => {
  it("takes a host name, and refuses a URL or a documented host, saying why", () => {
    expect(checkHost(" Staging.Example.dev ")).toEqual({ ok: true, value: "staging.example.dev" });
    const url = checkHost("https://x.dev/path");
    expect(url.ok ? "" : url.error).toMatch(/"https:\/\/x.dev\/path" is not a host name/);
    const documented = checkHost("API.casola.ai");
    expect(documented.ok ? "" : documented.error).toBe(
      "api.casola.ai is a documented host: it is always analysed",
    );
  });
});

describe("checkLimit", () => {
  it("takes whole requests and a window of whole seconds, at least one each", () => {
    expect(checkLimit("127.0.0.1:8080", "30", "60")).toEqual({
      ok: true,
      value: { host: "127.0.0.1:8080", limit: 30, windowSeconds: 60 },
    });
    const errorOf = (...fields: [string, string, string]) => {
      const checked = checkLimit(...fields);
      return checked.ok ? "" : checked.error;
    };
    expect(errorOf("x y", "30", "60")).toMatch(/is not a host name/);
    expect(errorOf("x.dev", "2.5", "60")).toBe("Requests must be a whole number above 0");
    expect(errorOf("x.dev", "", "60")).toBe("Requests must be a whole number above 0");
    expect(errorOf("x.dev", "0", "60")).toBe("Requests must be a whole number above 0");
    expect(errorOf("x.dev", "30", "1.5")).toBe(
      "The window must be a whole number of seconds above 0",
    );
    expect(errorOf("x.dev", "30", "0")).toMatch(/window/);
    expect(errorOf("x.dev", "30", " ")).toMatch(/window/);
  });

  it("reads a fractional window an older panel stored as the next whole second", () => {
    expect(
      parseSettings({ limits: [{ host: "x.dev", limit: 5, windowSeconds: 1.5 }] }).limits,
    ).toEqual([{ host: "x.dev", limit: 5, windowSeconds: 2 }]);
    expect(
      parseSettings({ limits: [{ host: "x.dev", limit: 5, windowSeconds: 0 }] }).limits,
    ).toEqual([]);
  });
});

describe("checkRetentionMinutes and checkBodiesKept", () => {
  it("take a whole number within the range storage accepts, as typed", () => {
    expect(checkRetentionMinutes(" 30 ")).toEqual({ ok: true, value: 30 });
    expect(checkRetentionMinutes("1440")).toEqual({ ok: true, value: 1440 });
    expect(checkBodiesKept("100")).toEqual({ ok: true, value: 100 });
    for (const text of ["", " ", "0", "1441", "2.5", "ten"]) {
      expect(checkRetentionMinutes(text), text).toEqual({
        ok: false,
        error: "Keep traffic for 1 to 1440 minutes (a whole number)",
      });
    }
    for (const text of ["", "99", "1000001", "150.5"]) {
      expect(checkBodiesKept(text), text).toEqual({
        ok: false,
        error: "Keep the bodies of 100 to 1000000 requests (a whole number)",
      });
    }
  });

  it("accept exactly what parseSettings keeps from storage", () => {
    for (const minutes of [0, 1, 10, 1440, 1441, 2.5]) {
      const typed = checkRetentionMinutes(String(minutes));
      const stored = parseSettings({ retentionMinutes: minutes }).retentionMinutes;
      expect(typed.ok, String(minutes)).toBe(stored === minutes);
    }
    for (const count of [99, 100, 20_000, 1_000_000, 1_000_001]) {
      const typed = checkBodiesKept(String(count));
      const stored = parseSettings({ bodiesKept: count }).bodiesKept;
      expect(typed.ok, String(count)).toBe(stored === count);
    }
  });
});

describe("withHost, withoutHost, withLimit, withoutLimit", () => {
  it("replace a host's earlier entry, remove one, and leave the list given unchanged", () => {
    const hosts = [
      { host: "a.dev", provider: "casola" as const },
      { host: "b.dev", provider: "generic" as const },
    ];
    expect(withHost(hosts, { host: "a.dev", provider: "problem" })).toEqual([
      { host: "b.dev", provider: "generic" },
      { host: "a.dev", provider: "problem" },
    ]);
    expect(withoutHost(hosts, "b.dev")).toEqual([{ host: "a.dev", provider: "casola" }]);
    expect(hosts).toHaveLength(2);
    const limits = [{ host: "a.dev", limit: 5, windowSeconds: 60 }];
    expect(withLimit(limits, { host: "a.dev", limit: 9, windowSeconds: 10 })).toEqual([
      { host: "a.dev", limit: 9, windowSeconds: 10 },
    ]);
    expect(withLimit(limits, { host: "c.dev", limit: 1, windowSeconds: 1 })).toHaveLength(2);
    expect(withoutLimit(limits, "a.dev")).toEqual([]);
    expect(limits).toHaveLength(1);
  });
});

describe("presets", () => {
  it("turn on and off in the presets' order, leaving the others as they are", () => {
    expect(withPreset(["groq"], "openai", true)).toEqual(["openai", "groq"]);
    expect(withPreset(["openai", "groq"], "openai", true)).toEqual(["openai", "groq"]);
    expect(withPreset(["openai", "groq"], "openai", false)).toEqual(["groq"]);
    expect(withPreset(["groq"], "openai", false)).toEqual(["groq"]);
  });

  it("add their hosts to the user's, the user's own mapping of a host coming last", () => {
    expect(
      analysedHosts({
        presets: ["github"],
        hosts: [{ host: "api.github.com", provider: "problem" }],
      }),
    ).toEqual([
      { host: "api.github.com", provider: "generic" },
      { host: "api.github.com", provider: "problem" },
    ]);
    expect(analysedHosts({ presets: [], hosts: [] })).toEqual([]);
  });
});
