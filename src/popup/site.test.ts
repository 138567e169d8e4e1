import { describe, expect, it } from "vitest";
import { siteOf } from "./site.js";

describe("siteOf", () => {
  it("asks for a web page's host on every port and scheme", () => {
    expect(siteOf("http://127.0.0.1:5173/demo/")).toEqual({
      kind: "site",
      host: "127.0.0.1",
      port: "5173",
      pattern: "*://127.0.0.1/*",
    });
    expect(siteOf("https://app.example.test/dashboard?x=1#top")).toEqual({
      kind: "site",
      host: "app.example.test",
      port: "",
      pattern: "*://app.example.test/*",
    });
    expect(siteOf("http://[::1]:3000/")).toMatchObject({ host: "[::1]", pattern: "*://[::1]/*" });
  });

  it("offers nothing for pages no extension may watch", () => {
    for (const url of [
      "chrome://settings/",
      "about:blank",
      "file:///home/me/index.html",
      "chrome-extension://abcdefghijklmnop/src/options/index.html",
      "moz-extension://1234/popup.html",
      "view-source:https://app.example.test/",
      "https://chromewebstore.google.com/detail/x",
      "https://chrome.google.com/webstore/detail/x",
      "https://addons.mozilla.org/firefox/",
    ]) {
      expect(siteOf(url).kind, url).toBe("closed");
    }
  });

  it("knows nothing of a tab whose address it may not read", () => {
    expect(siteOf(null)).toEqual({ kind: "unknown" });
    expect(siteOf("")).toEqual({ kind: "unknown" });
    expect(siteOf("not a url")).toEqual({ kind: "unknown" });
  });
});
