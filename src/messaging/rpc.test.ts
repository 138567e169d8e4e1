import { describe, expect, it } from "vitest";
import { casolaBudget } from "../../test/support/budget.js";
import { memoryTransportPair } from "../../test/support/memory-transport.js";
import type { BackgroundState, RequestMessage } from "./protocol.js";
import { createClient, type Handlers, isRequestMessage, type Sender, serve } from "./rpc.js";

const STATE: BackgroundState = {
  now: 1_000,
  hosts: [
    {
      budget: casolaBudget({ resetAt: 31_000, requestsLastMinute: 3 }),
      errors: [{ status: 429, code: "rate_limited", count: 2, last: 900 }],
      lastSeen: 900,
    },
  ],
  activeHost: "api.casola.ai",
  findings: 1,
  cost: [{ host: "api.casola.ai", wastedRequests: 3, wastedSeconds: 1.5 }],
};

function handlers(overrides: Partial<Handlers> = {}): Handlers & { seen: unknown[] } {
  const seen: unknown[] = [];
  return {
    seen,
    getState: (params, sender) => {
      seen.push({ name: "getState", params, sender });
      return { ...STATE, activeHost: params.tabId === 7 ? "api.casola.ai" : null };
    },
    reportPanel: async (params) => {
      seen.push({ name: "reportPanel", params });
      return { ok: true };
    },
    settingsChanged: () => {
      seen.push({ name: "settingsChanged" });
      return { ok: true };
    },
    ...overrides,
  };
}

describe("rpc over a connected pair", () => {
  it("answers getState with the handler's state for the tab asked about", async () => {
    const [client, server] = memoryTransportPair();
    const h = handlers();
    serve(server, h);
    const rpc = createClient(client);
    expect(await rpc.call("getState", { tabId: 7 })).toEqual(STATE);
    expect((await rpc.call("getState", { tabId: null })).activeHost).toBeNull();
  });

  it("delivers reportPanel's params intact and answers ok", async () => {
    const [client, server] = memoryTransportPair();
    const h = handlers();
    serve(server, h);
    const params = {
      tabId: 3,
      observed: [
        {
          method: "POST",
          url: "https://api.casola.ai/v1/jobs",
          status: 429,
          start: 1,
          end: 5,
          rateLimit: [{ name: "x-ratelimit-remaining", value: "0" }],
          code: "x",
        },
      ],
      findings: 2,
      cost: [{ host: "api.casola.ai", wastedRequests: 2, wastedSeconds: 0.75 }],
    };
    expect(await createClient(client).call("reportPanel", params)).toEqual({ ok: true });
    expect(h.seen).toEqual([{ name: "reportPanel", params }]);
  });

  it("answers settingsChanged", async () => {
    const [client, server] = memoryTransportPair();
    const h = handlers();
    serve(server, h);
    expect(await createClient(client).call("settingsChanged", {})).toEqual({ ok: true });
    expect(h.seen).toEqual([{ name: "settingsChanged" }]);
  });

  it("passes the sender's tab to the handler", async () => {
    const [client, server] = memoryTransportPair({ a: { tabId: 12 } });
    const h = handlers();
    serve(server, h);
    await createClient(client).call("getState", { tabId: null });
    expect(h.seen).toEqual([{ name: "getState", params: { tabId: null }, sender: { tabId: 12 } }]);
  });

  it("rejects with the handler's error text when the handler throws", async () => {
    const [client, server] = memoryTransportPair();
    serve(
      server,
      handlers({
        getState: async () => {
          throw new Error("storage is gone");
        },
      }),
    );
    await expect(createClient(client).call("getState", { tabId: 1 })).rejects.toThrow(
      "storage is gone",
    );
  });

  it("refuses params of the wrong shape without calling the handler", async () => {
    const [client, server] = memoryTransportPair();
    const h = handlers();
    serve(server, h);
    const bad = { tabId: "7" } as unknown as { tabId: number };
    await expect(createClient(client).call("getState", bad)).rejects.toThrow(
      "Invalid params for getState",
    );
    expect(h.seen).toEqual([]);
  });

  it("refuses a report whose cost per host is not one, and takes one that is", async () => {
    const [client, server] = memoryTransportPair();
    const h = handlers();
    serve(server, h);
    const rpc = createClient(client);
    const report = (cost: unknown) =>
      rpc.call("reportPanel", {
        tabId: 1,
        observed: [],
        findings: 0,
        cost: cost as never,
      });
    const bad = [
      undefined,
      "api.casola.ai",
      [{ host: "", wastedRequests: 1, wastedSeconds: 1 }],
      [{ host: "api.casola.ai", wastedRequests: -1, wastedSeconds: 1 }],
      [{ host: "api.casola.ai", wastedRequests: 1.5, wastedSeconds: 1 }],
      [{ host: "api.casola.ai", wastedRequests: 1, wastedSeconds: Number.NaN }],
      [{ host: "api.casola.ai", wastedRequests: 1, wastedSeconds: -0.5 }],
      [{ host: "api.casola.ai", wastedRequests: 1 }],
    ];
    for (const cost of bad) {
      await expect(report(cost)).rejects.toThrow("Invalid params for reportPanel");
    }
    expect(h.seen).toEqual([]);
    // Near miss: nothing wasted yet is a cost all the same.
    await expect(
      report([{ host: "api.casola.ai", wastedRequests: 0, wastedSeconds: 0 }]),
    ).resolves.toEqual({ ok: true });
  });

  it("rejects a state whose cost per host is malformed", async () => {
    const [client, server] = memoryTransportPair();
    server.onMessage(() =>
      Promise.resolve({
        ok: true,
        result: { ...STATE, cost: [{ host: "x", wastedRequests: "3" }] },
      }),
    );
    await expect(createClient(client).call("getState", { tabId: 1 })).rejects.toThrow(
      "Malformed answer to getState",
    );
  });

  it("leaves other messages to other listeners", async () => {
    const [client, server] = memoryTransportPair();
    const h = handlers();
    serve(server, h);
    server.onMessage((message) =>
      isRequestMessage(message) ? undefined : Promise.resolve("someone else"),
    );
    const foreign = [
      { type: "ping" },
      { ratelens: 2, name: "getState", params: { tabId: 1 } },
      { ratelens: 1, name: "toString", params: {} },
      "getState",
      null,
    ];
    for (const message of foreign) {
      expect(await client.send(message as unknown as RequestMessage)).toBe("someone else");
    }
    expect(h.seen).toEqual([]);
  });

  it("answers nothing (undefined) to a message no handler knows", async () => {
    const [client, server] = memoryTransportPair();
    serve(server, handlers());
    const stray = { ratelens: 1, name: "deleteEverything", params: {} };
    expect(await client.send(stray as unknown as RequestMessage)).toBeUndefined();
  });

  it("rejects an answer that is not the protocol's shape", async () => {
    const [client, server] = memoryTransportPair();
    const answers: unknown[] = [
      { ok: true, result: { hosts: "none" } },
      { ok: true },
      { ok: "yes", result: STATE },
      "fine",
    ];
    let next = 0;
    server.onMessage(() => Promise.resolve(answers[next++]));
    const rpc = createClient(client);
    for (let i = 0; i < answers.length; i++) {
      await expect(rpc.call("getState", { tabId: 1 })).rejects.toThrow("answer to getState");
    }
  });

  it("rejects when nobody answers or nobody listens", async () => {
    const [client, server] = memoryTransportPair();
    await expect(createClient(client).call("settingsChanged", {})).rejects.toThrow(
      "Receiving end does not exist",
    );
    server.onMessage(() => undefined);
    await expect(createClient(client).call("settingsChanged", {})).rejects.toThrow(
      "No answer to settingsChanged",
    );
  });

  it("stops answering once unsubscribed", async () => {
    const [client, server] = memoryTransportPair();
    const stop = serve(server, handlers());
    stop();
    await expect(createClient(client).call("getState", { tabId: 1 })).rejects.toThrow();
  });

  it("never delivers a side's message to its own listeners", async () => {
    const [client, server] = memoryTransportPair();
    const own: Sender[] = [];
    client.onMessage((_, sender) => {
      own.push(sender);
      return Promise.resolve({ ok: true, result: { ok: true } });
    });
    serve(server, handlers());
    await createClient(client).call("settingsChanged", {});
    expect(own).toEqual([]);
  });
});
