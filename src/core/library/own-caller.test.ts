import { describe, expect, it } from "vitest";
import type { CallerFrame } from "../types.js";
import { ownCaller } from "./own-caller.js";

const frame = (url: string, line = 1, fn = "f"): CallerFrame => ({
  url,
  line,
  column: 3,
  function: fn,
});

describe("ownCaller", () => {
  it("is the first frame outside node_modules, Vite's deps and webpack's vendor chunks", () => {
    const frames = [
      frame("http://localhost:5173/node_modules/.vite/deps/ky.js?v=9c1e4d2a", 356, "_fetch"),
      frame("http://localhost:5173/node_modules/.vite/deps/chunk-4K7QPN2D.js?v=9c1e4d2a", 12),
      frame("webpack-internal:///./node_modules/axios/lib/adapters/xhr.js", 196),
      frame("http://localhost:3000/_next/static/chunks/node_modules_ofetch_dist_index_mjs.js", 148),
      frame("http://localhost:5173/src/profile/save.ts", 27, "saveProfile"),
      frame("http://localhost:5173/src/App.tsx", 40, "onClick"),
    ];
    expect(ownCaller(frames)).toEqual({
      url: "http://localhost:5173/src/profile/save.ts",
      line: 27,
      column: 3,
      function: "saveProfile",
    });
  });

  it("keeps the top frame when it is the app's own, even when a library called it", () => {
    const frames = [
      frame("http://localhost:5173/src/reports/queries.ts", 8, "fetchReport"),
      frame("http://localhost:5173/node_modules/.vite/deps/@tanstack_react-query.js?v=1", 842),
    ];
    expect(ownCaller(frames)?.function).toBe("fetchReport");
  });

  it("takes an app script whose name merely contains a library's for the app's", () => {
    expect(
      ownCaller([frame("http://localhost:5173/src/widgets/sky-widget.js", 40, "loadSky")])?.line,
    ).toBe(40);
  });

  it("is undefined when every frame is a library's, or there is no stack", () => {
    expect(
      ownCaller([frame("webpack-internal:///./node_modules/fetch-retry/index.js", 77)]),
    ).toBeUndefined();
    expect(ownCaller([])).toBeUndefined();
    expect(ownCaller({})).toBeUndefined();
  });

  it("reads an exchange's stack, async parents included, 1-based", () => {
    const stackSource = {
      type: "script",
      stack: {
        callFrames: [
          {
            functionName: "_fetch",
            url: "http://localhost:5173/node_modules/.vite/deps/ky.js",
            lineNumber: 355,
            columnNumber: 26,
          },
        ],
        parent: {
          description: "await",
          callFrames: [
            {
              functionName: "removeFile",
              url: "https://app.example/assets/index-4f9c2a.js",
              lineNumber: 309,
              columnNumber: 14,
            },
          ],
        },
      },
    };
    expect(ownCaller({ stackSource })).toEqual({
      url: "https://app.example/assets/index-4f9c2a.js",
      line: 310,
      column: 15,
      function: "removeFile",
    });
  });
});
