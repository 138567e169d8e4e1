import { describe, expect, it } from "vitest";
import { entry, T0 } from "../../test/support/har.js";
import { type NetworkEvents, NetworkRecording } from "./network-recording.js";
import type { CapturedRequest } from "./ports/devtools.js";

/** DevTools' two events as a test fires them. */
function devtools() {
  const finished = new Set<(request: CapturedRequest) => void>();
  const navigated = new Set<(url: string) => void>();
  const events: NetworkEvents = {
    onRequestFinished(listener) {
      finished.add(listener);
      return () => finished.delete(listener);
    },
    onNavigated(listener) {
      navigated.add(listener);
      return () => navigated.delete(listener);
    },
  };
  let n = 0;
  const finish = () => {
    const request: CapturedRequest = {
      entry: entry({ url: `https://api.casola.ai/v1/jobs/${n}`, startedDateTime: T0 + n++ }),
      content: async () => ({ text: "{}" }),
    };
    for (const listener of finished) listener(request);
    return request;
  };
  const navigate = (url: string) => {
    for (const listener of navigated) listener(url);
  };
  return { events, finish, navigate };
}

describe("NetworkRecording", () => {
  it("lists what was reported before anyone listened, in order, and passes on what comes after", async () => {
    const { events, finish, navigate } = devtools();
    const recording = new NetworkRecording(events);
    const early = [finish(), finish()];
    const heard: CapturedRequest[] = [];
    const urls: string[] = [];
    recording.onRequestFinished((request) => heard.push(request));
    recording.onNavigated((url) => urls.push(url));
    const late = finish();
    navigate("https://app.example/next");
    expect(await recording.getHar()).toEqual([...early, late]);
    expect(heard).toEqual([late]);
    expect(urls).toEqual(["https://app.example/next"]);
  });

  it("keeps the newest requests past its limit, dropping a tenth at a time", async () => {
    const { events, finish } = devtools();
    const recording = new NetworkRecording(events, 100);
    const all = Array.from({ length: 101 }, finish);
    expect(await recording.getHar()).toEqual(all.slice(11));
    const more = Array.from({ length: 10 }, finish);
    expect(await recording.getHar()).toEqual([...all.slice(11), ...more]);
  });

  it("keeps telling the others when one listener throws, and stops telling one unsubscribed", async () => {
    const { events, finish } = devtools();
    const recording = new NetworkRecording(events);
    const heard: string[] = [];
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      recording.onRequestFinished(() => {
        throw new TypeError("can't access dead object");
      });
      const off = recording.onRequestFinished((r) => heard.push(r.entry.request.url));
      finish();
      off();
      finish();
    } finally {
      console.error = original;
    }
    expect(heard).toEqual(["https://api.casola.ai/v1/jobs/0"]);
    expect(errors).toHaveLength(2);
  });
});
