import { describe, expect, it, vi } from "vitest";
import { getContent, normaliseContent } from "./get-content.js";

describe("normaliseContent", () => {
  it("reads Chromium's {content, encoding}, Firefox's [body, mimeType] and the callback's pair", () => {
    expect(normaliseContent({ content: "e30=", encoding: "base64" })).toEqual({
      text: "e30=",
      encoding: "base64",
    });
    expect(normaliseContent({ content: "{}", encoding: "" })).toEqual({ text: "{}" });
    expect(normaliseContent(["{}", "application/json"])).toEqual({ text: "{}" });
    expect(normaliseContent("e30=", "base64")).toEqual({ text: "e30=", encoding: "base64" });
    expect(normaliseContent("{}", null)).toEqual({ text: "{}" });
  });

  it("reads anything else as no body", () => {
    for (const value of [undefined, null, 42, {}, { content: null }, [null, "text/plain"]]) {
      expect(normaliseContent(value)).toBeUndefined();
    }
  });
});

describe("getContent", () => {
  it("takes a promise's answer", async () => {
    const request = { getContent: () => Promise.resolve({ content: "ok", encoding: "" }) };
    await expect(getContent(request, 1000)).resolves.toEqual({ text: "ok" });
  });

  it("takes a callback's answer", async () => {
    const request = {
      getContent: (callback?: (content: unknown, encoding?: unknown) => void) => {
        setTimeout(() => callback?.("ok", ""), 1);
      },
    };
    await expect(getContent(request, 1000)).resolves.toEqual({ text: "ok" });
  });

  it("gives up after the timeout when DevTools never answers", async () => {
    vi.useFakeTimers();
    try {
      const request = { getContent: () => new Promise(() => {}) };
      const pending = getContent(request, 250);
      vi.advanceTimersByTime(250);
      await expect(pending).resolves.toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads a throwing or rejecting getContent as no body", async () => {
    await expect(
      getContent({ getContent: () => Promise.reject(new Error("x")) }, 1000),
    ).resolves.toBeUndefined();
    await expect(
      getContent(
        {
          getContent: () => {
            throw new Error("x");
          },
        },
        1000,
      ),
    ).resolves.toBeUndefined();
  });
});
