import { describe, expect, it } from "vitest";
import { fixtureReport } from "../../../test/support/analyze.js";
import {
  validSarif as valid,
  validateSarif as validate,
} from "../../../test/support/sarif-schema.js";
import type { Chain } from "../chains.js";
import { RULES } from "../rules/index.js";
import { parseSourceRoot, SarifWriter, type SourceRoot, sourcePath, toSarif } from "./sarif.js";

interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId?: string };
      region?: { startLine: number; startColumn: number };
    };
  }[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

interface Log {
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        rules: { id: string; defaultConfiguration: { level: string } }[];
      };
    };
    results: Result[];
  }[];
}

const DEV: SourceRoot[] = [{ url: "http://127.0.0.1:5173/", dir: "." }];
const OPTIONS = { version: "0.1.0", sourceRoots: DEV };

function resultsOf(text: string): Result[] {
  return (JSON.parse(text) as Log).runs[0]?.results ?? [];
}

describe("the schema check", () => {
  it("refuses a log SARIF 2.1.0 does not allow", () => {
    const bad = {
      version: "2.1.0",
      runs: [
        { tool: { driver: { name: "x" } }, results: [{ message: { text: "m" }, level: "fatal" }] },
      ],
    };
    expect(validate(bad)).toBe(false);
    expect(validate({ ...bad, version: "2.0.0" })).toBe(false);
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } } }] })).toBe(true);
  });
});

describe("SARIF of one file", () => {
  const session = fixtureReport("sample-session");
  const text = toSarif(
    [{ source: "recordings/sample-session.har", chains: session.chains }],
    OPTIONS,
  );

  it("is valid SARIF 2.1.0 with one run, every rule and one result per chain", () => {
    const log = valid(text) as Log;
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0]?.tool.driver;
    expect(driver?.name).toBe("Ratelens");
    expect(driver?.version).toBe("0.1.0");
    expect(driver?.rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    expect(resultsOf(text)).toHaveLength(session.chains.length);
  });

  it("locates each chain at its caller's line in the repository", () => {
    const [first] = resultsOf(text);
    expect(first?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "demo/client.js", uriBaseId: "%SRCROOT%" },
      region: { startLine: 12, startColumn: 11 },
    });
    expect(first?.ruleId).toBe(session.chains[0]?.rules[0]);
    expect(RULES[first?.ruleIndex ?? -1]?.id).toBe(first?.ruleId);
  });

  it("says the method, URL, message, cost and advice, and carries the chain's figures", () => {
    const [first] = resultsOf(text);
    const chain = session.chains[0] as Chain;
    expect(first?.message.text).toBe(
      `POST https://api.casola.ai/v1/jobs: ${chain.message}. Wasted 2 requests, 40.1 s, in 4 attempts. ${chain.advice}`,
    );
    expect(first?.properties).toEqual({
      rules: chain.rules,
      entries: chain.entries,
      attempts: 4,
      wastedRequests: 2,
      wastedSeconds: chain.wastedSeconds,
      har: "recordings/sample-session.har",
    });
  });

  it("gives each chain its severity's level, and each rule its own", () => {
    const log = JSON.parse(text) as Log;
    const levels = { error: "error", warning: "warning", info: "note" } as const;
    expect(resultsOf(text).map((r) => r.level)).toEqual(
      session.chains.map((chain) => levels[chain.severity]),
    );
    expect(log.runs[0]?.tool.driver.rules.map((r) => r.defaultConfiguration.level)).toEqual(
      RULES.map((rule) => levels[rule.severity]),
    );
  });

  it("falls back to the HAR file when the caller is outside every source root, and names the caller", () => {
    const results = resultsOf(
      toSarif([{ source: "recordings/my session.har", chains: session.chains }], {
        version: "0.1.0",
        sourceRoots: [],
      }),
    );
    expect(results[0]?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: "recordings/my%20session.har", uriBaseId: "%SRCROOT%" },
    });
    expect(results[0]?.message.text).toContain(
      "Sent from http://127.0.0.1:5173/demo/client.js:12:11 (submitJob), outside every --source-root.",
    );
  });

  it("falls back to the HAR file when the chain has no caller", () => {
    const chain = { ...(session.chains[0] as Chain), caller: undefined };
    const text = toSarif([{ source: "/tmp/run/a.har", chains: [chain] }], OPTIONS);
    valid(text);
    const [result] = resultsOf(text);
    expect(result?.locations[0]?.physicalLocation.artifactLocation).toEqual({
      uri: "file:///tmp/run/a.har",
    });
    expect(result?.message.text).toContain("Caller unknown");
  });
});

describe("SARIF of several files", () => {
  const files = ["retry-after-ignored", "no-backoff", "rate-limit-exhausted", "well-behaved"].map(
    (name) => ({ source: `test/fixtures/${name}.har`, chains: fixtureReport(name).chains }),
  );

  it("is valid, with every file's chains as results of one run, streamed as they come", () => {
    const written: string[] = [];
    const writer = new SarifWriter(OPTIONS, (text) => written.push(text));
    let count = 0;
    for (const file of files) {
      for (const chain of file.chains) {
        const before = written.length;
        writer.chain(chain, file.source);
        // Each result reaches the sink at once, not at the end.
        expect(written.length).toBe(before + 1);
        expect(written.at(-1)).toContain(JSON.stringify(file.source));
        count++;
      }
    }
    writer.finish();
    const text = written.join("");
    valid(text);
    expect(count).toBeGreaterThan(5);
    expect(resultsOf(text)).toHaveLength(count);
    expect(() => writer.chain(files[0]?.chains[0] as Chain, "x.har")).toThrow();
  });

  it("is valid with no chain at all", () => {
    const text = toSarif([], OPTIONS);
    valid(text);
    expect(resultsOf(text)).toEqual([]);
  });

  it("stays valid and inert with hostile text in the chain", () => {
    const HOSTILE = `"}],"runs":[]} \u0000\u2028<script>é ../../etc/passwd %00`;
    const chain = {
      ...(files[0]?.chains[0] as Chain),
      method: HOSTILE,
      url: HOSTILE,
      message: HOSTILE,
      advice: HOSTILE,
      caller: { url: `http://127.0.0.1:5173/${HOSTILE}`, line: 0, column: -3, function: HOSTILE },
    };
    const text = toSarif([{ source: HOSTILE, chains: [chain] }], OPTIONS);
    valid(text);
    const [result] = resultsOf(text);
    expect(result?.message.text.startsWith(HOSTILE)).toBe(true);
    expect(result?.properties.har).toBe(HOSTILE);
  });
});

describe("partialFingerprints", () => {
  const chains = fixtureReport("retry-after-ignored").chains;
  const print = (chain: Chain, har = "a.har", roots = DEV) =>
    resultsOf(toSarif([{ source: har, chains: [chain] }], { version: "x", sourceRoots: roots }))[0]
      ?.partialFingerprints;

  it("are the same for the same chain on a re-run, whatever the HAR file's name or the version", () => {
    const chain = chains[0] as Chain;
    expect(print(chain)).toEqual(print(structuredClone(chain), "elsewhere/b.har"));
    expect(Object.values(print(chain) ?? {})[0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("ignore the query of the chain's URL and of its caller's script", () => {
    const chain = chains[0] as Chain;
    const caller = chain.caller ?? {
      url: "http://127.0.0.1:5173/a.js",
      line: 1,
      column: 1,
      function: "",
    };
    const rerun = {
      ...chain,
      url: `${chain.url}?page=2`,
      caller: { ...caller, url: `${caller.url}?t=123`, column: caller.column + 4 },
    };
    expect(print(rerun)).toEqual(print(chain));
  });

  it("differ for another line, method, URL path or rule", () => {
    const chain = chains[0] as Chain;
    const caller = chain.caller ?? {
      url: "http://127.0.0.1:5173/a.js",
      line: 1,
      column: 1,
      function: "",
    };
    const base = print(chain);
    expect(print({ ...chain, caller: { ...caller, line: caller.line + 1 } })).not.toEqual(base);
    expect(print({ ...chain, method: "PUT" })).not.toEqual(base);
    expect(print({ ...chain, url: `${chain.url}/other` })).not.toEqual(base);
    expect(print({ ...chain, rules: ["no-backoff"] })).not.toEqual(base);
  });
});

describe("parseSourceRoot", () => {
  it("reads URL=DIR, the URL as a prefix ending in a slash, the DIR in forward slashes", () => {
    expect(parseSourceRoot("http://localhost:5173/=.")).toEqual({
      url: "http://localhost:5173/",
      dir: ".",
    });
    expect(parseSourceRoot("http://localhost:5173=.")).toEqual({
      url: "http://localhost:5173/",
      dir: ".",
    });
    expect(parseSourceRoot("https://Dev.Example.test/app=web\\src/")).toEqual({
      url: "https://dev.example.test/app/",
      dir: "web/src",
    });
    expect(parseSourceRoot("http://localhost:5173/=./packages/web")).toEqual({
      url: "http://localhost:5173/",
      dir: "packages/web",
    });
  });

  it("refuses what is not an http(s) prefix and a repository path", () => {
    for (const text of [
      "",
      "http://localhost:5173/",
      "=.",
      "localhost:5173=.",
      "file:///home/me/app/=.",
      "ftp://host/=.",
      "javascript:alert(1)=.",
      "http://localhost:5173/?t=1=.",
      "http://localhost:5173/#x=.",
      "http://me:secret@localhost:5173/=.",
      "http://localhost:5173/=",
      "http://localhost:5173/=/etc",
      "http://localhost:5173/=C:\\repo",
      "http://localhost:5173/=\\\\server\\share",
      "http://localhost:5173/=../other",
      "http://localhost:5173/=src/../../other",
      "http://localhost:5173/=src\\..\\..",
      "http://localhost:5173/=src/\u0000",
    ]) {
      expect(parseSourceRoot(text), text).toBeUndefined();
    }
  });
});

describe("sourcePath", () => {
  const roots = [
    parseSourceRoot("http://localhost:5173/=.") as SourceRoot,
    parseSourceRoot("http://localhost:5173/packages/ui/=libs/ui") as SourceRoot,
    parseSourceRoot("https://cdn.example.test/assets=web/public") as SourceRoot,
  ];

  it("maps the issue's example, dropping the query", () => {
    expect(sourcePath("http://localhost:5173/src/api/jobs.ts?t=1", roots)).toBe("src/api/jobs.ts");
    expect(sourcePath("http://localhost:5173/src/api/jobs.ts#L3", roots)).toBe("src/api/jobs.ts");
  });

  it("takes the longest matching prefix", () => {
    expect(sourcePath("http://localhost:5173/packages/ui/button.ts", roots)).toBe(
      "libs/ui/button.ts",
    );
    expect(sourcePath("https://cdn.example.test/assets/app.js", roots)).toBe("web/public/app.js");
  });

  it("matches whole segments, the origin exactly", () => {
    expect(sourcePath("https://cdn.example.test/assets-old/app.js", roots)).toBeUndefined();
    expect(sourcePath("http://localhost:51730/src/a.ts", roots)).toBeUndefined();
    expect(sourcePath("https://localhost:5173/src/a.ts", roots)).toBeUndefined();
    expect(sourcePath("http://LOCALHOST:5173/src/a.ts", roots)).toBe("src/a.ts");
    expect(sourcePath("http://localhost:5173/", roots)).toBeUndefined();
  });

  it("decodes each segment", () => {
    expect(sourcePath("http://localhost:5173/src/my%20file.ts", roots)).toBe("src/my file.ts");
    expect(sourcePath("http://localhost:5173/src/caf%C3%A9.ts", roots)).toBe("src/café.ts");
  });

  it("refuses a path that would leave its folder, or that does not decode", () => {
    for (const url of [
      "http://localhost:5173/src/..%2F..%2Fetc/passwd",
      "http://localhost:5173/src/%2e%2e%2f%2e%2e%2fsecret",
      "http://localhost:5173/src/..%5C..%5Csecret",
      "http://localhost:5173/src/a%00.ts",
      "http://localhost:5173/src/%E0%A4%A.ts",
      "http://localhost:5173/src/%2e%2e%2fx.ts",
    ]) {
      expect(sourcePath(url, roots), url).toBeUndefined();
    }
  });

  it("keeps a path the URL itself resolves inside the server's root", () => {
    // The URL parser resolves dot segments before the mapping sees them: the path stays inside.
    expect(sourcePath("http://localhost:5173/src/../../../etc/passwd", roots)).toBe("etc/passwd");
    expect(sourcePath("http://localhost:5173/packages/ui/../../x.ts", roots)).toBe("x.ts");
  });

  it("maps nothing that is not an http(s) URL under a root", () => {
    for (const url of [
      "",
      "client.js",
      "chrome-extension://abc/src/a.js",
      "file:///home/me/src/a.ts",
      "webpack:///src/a.ts",
      "https://other.test/src/a.ts",
    ]) {
      expect(sourcePath(url, roots), url).toBeUndefined();
    }
    expect(sourcePath("http://localhost:5173/src/a.ts", [])).toBeUndefined();
  });
});
