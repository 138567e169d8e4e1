// @vitest-environment happy-dom
import { cleanup, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { entry } from "../../test/support/har.js";
import { fakePorts, rows } from "../../test/support/panel-test-kit.js";
import type { CapturedRequest } from "./capture.js";
import { startPanel } from "./start-panel.js";

afterEach(cleanup);

/** DevTools' network with nothing listed: requests arrive as DevTools reports them finished. */
function network() {
  const finished = new Set<(request: CapturedRequest) => void>();
  return {
    onRequestFinished(listener: (request: CapturedRequest) => void) {
      finished.add(listener);
      return () => finished.delete(listener);
    },
    getHar: async () => [],
    onNavigated: () => () => {},
    listeners: () => finished.size,
    finish(url: string) {
      for (const listener of finished)
        listener({ entry: entry({ url }), content: async () => ({ text: "{}" }) });
    },
  };
}

describe("startPanel", () => {
  it("lists what DevTools reports until the page goes away, then stops listening", async () => {
    const devtools = network();
    const root = document.createElement("div");
    document.body.append(root);
    const stopped = new AbortController();
    await startPanel(root, { ...fakePorts(), network: devtools }, stopped.signal);

    devtools.finish("https://api.casola.ai/v1/jobs/1");
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(devtools.listeners()).toBe(1);

    stopped.abort();
    expect(devtools.listeners()).toBe(0);
    devtools.finish("https://api.casola.ai/v1/jobs/2");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rows()).toHaveLength(1);
    root.remove();
  });
});
