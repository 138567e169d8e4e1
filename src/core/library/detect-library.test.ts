import { describe, expect, it } from "vitest";
import { toHeaderMap } from "../headers/header-map.js";
import { detectLibraries, type LibrarySigns, libraryAdvice } from "./detect-library.js";
import { LIBRARIES } from "./libraries.js";
import { libraryOfScript } from "./script-url.js";

function signs(
  headers: Record<string, string>,
  host = "api.example.com",
  urls: string[] = [],
): LibrarySigns {
  const callFrames = urls.map((url) => ({
    functionName: "f",
    url,
    lineNumber: 0,
    columnNumber: 0,
  }));
  return {
    requestHeaders: toHeaderMap(Object.entries(headers).map(([name, value]) => ({ name, value }))),
    host,
    stackSource: { type: "script", stack: { callFrames } },
  };
}

const STAINLESS = { "x-stainless-lang": "js", "x-stainless-retry-count": "1" };

describe("detectLibraries", () => {
  it("tells the OpenAI SDK from the Anthropic SDK by their x-stainless-* headers and host", () => {
    expect(detectLibraries(signs(STAINLESS, "api.openai.com"))).toEqual(["openai"]);
    expect(detectLibraries(signs(STAINLESS, "api.anthropic.com"))).toEqual(["anthropic"]);
    // A proxy of the developer's: anthropic-version still says which SDK.
    expect(
      detectLibraries(signs({ ...STAINLESS, "anthropic-version": "2023-06-01" }, "localhost:8787")),
    ).toEqual(["anthropic"]);
    expect(
      detectLibraries(signs({ ...STAINLESS, "user-agent": "OpenAI/JS 4.77.0" }, "localhost:8787")),
    ).toEqual(["openai"]);
  });

  it("leaves out another SDK built the same way (Stainless), which names itself in its User-Agent", () => {
    expect(detectLibraries(signs({ ...STAINLESS, "user-agent": "Groq/JS 0.9.1" }))).toEqual([]);
  });

  it("reads the User-Agent of got, the SDKs in Node, and the octokit package (both plugins)", () => {
    expect(
      detectLibraries(signs({ "user-agent": "got (https://github.com/sindresorhus/got)" })),
    ).toEqual(["got"]);
    expect(detectLibraries(signs({ "user-agent": "OpenAI/JS 4.77.0" }))).toEqual(["openai"]);
    expect(detectLibraries(signs({ "user-agent": "Anthropic/JS 0.33.1" }))).toEqual(["anthropic"]);
    expect(
      detectLibraries(signs({ "user-agent": "octokit.js/3.1.2 octokit-core.js/5.0.2 Node.js/20" })),
    ).toEqual(["octokit-retry", "octokit-throttling"]);
  });

  it("names no library for the User-Agent of a tool without retry options", () => {
    for (const agent of [
      "axios/1.7.9",
      "octokit-core.js/5.0.2 Node.js/20.11.0 (linux; x64)",
      "got-scraping/4.0.6",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0",
      "OpenAIProxy (internal)",
    ])
      expect(detectLibraries(signs({ "user-agent": agent })), agent).toEqual([]);
  });

  it("lists headers' sign first, then the User-Agent's, then the stack's from the top", () => {
    expect(
      detectLibraries(
        signs(
          { ...STAINLESS, "user-agent": "got (https://github.com/sindresorhus/got)" },
          "api.openai.com",
          [
            "http://localhost:5173/node_modules/.vite/deps/ky.js?v=1",
            "http://localhost:5173/node_modules/.vite/deps/@tanstack_react-query.js?v=1",
            "http://localhost:5173/node_modules/.vite/deps/ky.js?v=1",
          ],
        ),
      ),
    ).toEqual(["openai", "got", "ky", "tanstack-query"]);
  });
});

describe("libraryOfScript", () => {
  it("knows a library's script as Vite, webpack, pnpm and Nuxt name it", () => {
    const cases: [string, string][] = [
      ["http://localhost:5173/node_modules/.vite/deps/ky.js?v=9c1e4d2a", "ky"],
      ["http://localhost:5173/node_modules/.vite/deps_temp_4e1a/ky.js", "ky"],
      ["http://localhost:5173/node_modules/ky/distribution/index.js", "ky"],
      ["webpack-internal:///./node_modules/axios-retry/dist/esm/index.js", "axios-retry"],
      [
        "webpack-internal:///(app-pages-browser)/./node_modules/.pnpm/ky@1.7.2/node_modules/ky/distribution/core/Ky.js",
        "ky",
      ],
      ["http://localhost:3000/_next/static/chunks/node_modules_ofetch_dist_index_mjs.js", "ofetch"],
      ["http://localhost:3000/_nuxt/node_modules/.cache/vite/client/deps/ofetch.js?v=1", "ofetch"],
      [
        "http://localhost:5173/node_modules/.vite/deps/@tanstack_react-query.js?v=1",
        "tanstack-query",
      ],
      ["http://localhost:5173/node_modules/.vite/deps/@tanstack_vue-query.js", "tanstack-query"],
      [
        "webpack-internal:///./node_modules/@tanstack/query-core/build/modern/retryer.js",
        "tanstack-query",
      ],
      [
        "http://localhost:8080/js/vendors-node_modules_tanstack_query-core_build_modern_index_js.js",
        "tanstack-query",
      ],
      ["http://localhost:5173/node_modules/.vite/deps/p-retry.js", "p-retry"],
      ["webpack-internal:///./node_modules/fetch-retry/index.js", "fetch-retry"],
      [
        "http://localhost:5173/node_modules/.vite/deps/@octokit_plugin-retry.js?v=2",
        "octokit-retry",
      ],
      [
        "webpack-internal:///./node_modules/@octokit/plugin-throttling/dist-bundle/index.js",
        "octokit-throttling",
      ],
      ["http://localhost:5173/node_modules/.vite/deps/openai.js?v=3", "openai"],
      ["http://localhost:5173/node_modules/.vite/deps/@anthropic-ai_sdk.js?v=3", "anthropic"],
    ];
    for (const [url, id] of cases) expect(libraryOfScript(url), url).toBe(id);
  });

  it("knows no library in a script whose name merely contains one", () => {
    for (const url of [
      "http://localhost:5173/node_modules/.vite/deps/kysely.js?v=71aa02c4",
      "http://localhost:5173/src/widgets/sky-widget.js",
      "https://cdn.example.test/libs/ky.js",
      "webpack-internal:///./node_modules/ky-universal/index.js",
      "http://localhost:3000/_next/static/chunks/node_modules_kysely_dist_esm_index_js.js",
      "http://localhost:5173/node_modules/.vite/deps/@tanstack_react-router.js",
      "http://localhost:5173/node_modules/.vite/deps/p-retry-cjs.js",
      "webpack-internal:///./node_modules/got-scraping/dist/index.js",
      "http://localhost:5173/src/openai.js",
    ])
      expect(libraryOfScript(url), url).toBeUndefined();
  });
});

describe("libraryAdvice", () => {
  it("takes the first detected library with an option for the rule", () => {
    const octokit = ["octokit-retry", "octokit-throttling"] as const;
    expect(libraryAdvice(octokit, "retry-non-retryable")?.option).toBe("retry.doNotRetry");
    expect(libraryAdvice(octokit, "rate-limit-exhausted")).toMatchObject({
      name: "@octokit/plugin-throttling",
      option: "throttle.onRateLimit",
    });
  });

  it("gives none for an unknown client, or a rule the library has no option for", () => {
    expect(libraryAdvice([], "no-backoff")).toBeUndefined();
    expect(libraryAdvice(["openai"], "retry-too-soon")).toBeUndefined();
    expect(libraryAdvice(["ky"], "contract-breach")).toBeUndefined();
  });

  it("has, for every library, advice sentences that name the option they advise", () => {
    for (const library of LIBRARIES)
      for (const [rule, option] of Object.entries(library.options)) {
        const name = option?.option.split(".").at(-1) ?? "";
        expect(option?.advice, `${library.id} ${rule}`).toContain(name);
        expect(option?.advice, `${library.id} ${rule}`).toMatch(/\.$/);
      }
  });
});
