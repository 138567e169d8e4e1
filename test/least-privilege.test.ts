import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultHostPermissions } from "../src/core/hosts.js";
import { PRESETS, presetOrigins } from "../src/core/presets.js";

const root = fileURLToPath(new URL("..", import.meta.url));

type Manifest = Record<string, unknown> & {
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
};

function built(build: string): Manifest {
  return JSON.parse(readFileSync(join(root, "dist", build, "manifest.json"), "utf8")) as Manifest;
}

/**
 * Whether match pattern `pattern` covers every URL of `origin` (itself a pattern whose path is
 * `/*`): the scheme, then the host (`*`, `*.domain` or exact), as the browsers match them.
 */
function covers(pattern: string, origin: string): boolean {
  const [, scheme, host] = /^(\*|https?):\/\/([^/]+)\/\*$/.exec(pattern) ?? [];
  const [, wanted, wantedHost] = /^(https?):\/\/([^/]+)\/\*$/.exec(origin) ?? [];
  if (scheme === undefined || host === undefined || wanted === undefined || !wantedHost)
    return false;
  if (scheme !== "*" && scheme !== wanted) return false;
  if (host === "*") return true;
  if (host.startsWith("*.")) return wantedHost === host || wantedHost.endsWith(host.slice(1));
  return wantedHost === host;
}

describe("covers", () => {
  it("matches as the browsers do, and no wider", () => {
    expect(covers("*://*/*", "https://*.openai.azure.com/*")).toBe(true);
    expect(covers("https://*.openai.azure.com/*", "https://x.openai.azure.com/*")).toBe(true);
    expect(covers("https://*.openai.azure.com/*", "https://*.openai.azure.com/*")).toBe(true);
    expect(covers("https://*.openai.azure.com/*", "https://evil-openai.azure.com/*")).toBe(false);
    expect(covers("http://*/*", "https://api.openai.com/*")).toBe(false);
    expect(covers("https://api.openai.com/*", "https://api.openai.com.example/*")).toBe(false);
  });
});

/** What a store reviewer reads first, for the builds that ship (npm run build writes them). */
describe.each(["chrome", "firefox"])("the %s manifest asks for the least it needs", (build) => {
  const manifest = built(build);

  it("holds storage, webRequest and activeTab, nothing more: no debugger, tabs, cookies or scripting", () => {
    expect([...(manifest.permissions ?? [])].sort()).toEqual([
      "activeTab",
      "storage",
      "webRequest",
    ]);
  });

  it("is granted the documented API hosts only; every other site is optional, asked for at run time", () => {
    expect(manifest.host_permissions).toEqual(defaultHostPermissions());
    for (const pattern of manifest.host_permissions ?? []) {
      expect(pattern).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]+\/\*$/);
    }
    expect(JSON.stringify(manifest.host_permissions)).not.toContain("<all_urls>");
    expect(manifest.optional_host_permissions).toEqual(["*://*/*"]);
  });

  it("may ask for every provider preset's hosts at run time, and asks for none at install", () => {
    const optional = manifest.optional_host_permissions ?? [];
    const required = manifest.host_permissions ?? [];
    for (const origin of PRESETS.flatMap(presetOrigins)) {
      expect(
        optional.some((pattern) => covers(pattern, origin)),
        origin,
      ).toBe(true);
      expect(
        required.some((pattern) => covers(pattern, origin)),
        origin,
      ).toBe(false);
    }
  });

  it("injects nothing into pages and exposes nothing to them or to other extensions", () => {
    for (const key of [
      "content_scripts",
      "web_accessible_resources",
      "externally_connectable",
      "content_security_policy",
      "optional_permissions",
    ]) {
      expect(manifest[key], key).toBeUndefined();
    }
  });
});

describe("the Firefox manifest", () => {
  it("declares that Ratelens collects no data, and asks for no optional collection", () => {
    const gecko = (
      built("firefox").browser_specific_settings as Record<string, Record<string, unknown>>
    ).gecko;
    expect(gecko?.data_collection_permissions).toEqual({ required: ["none"] });
  });
});

describe("the demo builds", () => {
  it.each(["chrome-demo", "firefox-demo"])(
    "%s adds only the demo page's site, the staging host and the OpenAI host to the product's hosts",
    (build) => {
      const manifest = built(build);
      expect(manifest.permissions).toEqual(built("chrome").permissions);
      expect(manifest.host_permissions).toEqual([
        ...defaultHostPermissions(),
        "*://staging.casola.test/*",
        "*://api.openai.com/*",
        "*://127.0.0.1/*",
      ]);
    },
  );
});

describe("webRequest's <all_urls>", () => {
  it("is a listener filter in src/platform/web-request.ts, never a permission", () => {
    const source = readFileSync(join(root, "src/platform/web-request.ts"), "utf8");
    expect(source).toContain('{ urls: ["<all_urls>"] }');
    // The browser reports only requests to hosts the extension holds: the filter widens nothing.
    for (const build of ["chrome", "firefox", "chrome-demo", "firefox-demo"]) {
      expect(JSON.stringify(built(build))).not.toContain("<all_urls>");
    }
  });
});
