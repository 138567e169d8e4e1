// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { casolaBudget } from "../../test/support/budget.js";
import { T0 } from "../../test/support/har.js";
import type { BudgetState } from "../core/budget/budget-tracker.js";
import type { ErrorCount } from "../core/host-errors.js";
import type { BackgroundState, HostView } from "../messaging/protocol.js";
import { PopupApp } from "./app.js";
import type { PopupPorts } from "./ports.js";

function host(
  name: string,
  budget: Partial<BudgetState> = {},
  errors: ErrorCount[] = [],
): HostView {
  return {
    budget: casolaBudget({
      host: name,
      provider: name.includes("cuadra") ? "cuadra" : "casola",
      limit: 60,
      remaining: 42,
      resetAt: T0 + 30_000,
      requestsLastMinute: 6,
      ...budget,
    }),
    errors,
    lastSeen: T0,
  };
}

function backgroundState(partial: Partial<BackgroundState> = {}): BackgroundState {
  return { now: T0, hosts: [], activeHost: null, findings: 0, cost: [], ...partial };
}

function fakePorts(getState: () => Promise<BackgroundState>, tabUrl: string | null = null) {
  return {
    getState: vi.fn<PopupPorts["getState"]>(getState),
    openOptions: vi.fn<PopupPorts["openOptions"]>(),
    activeTabUrl: vi.fn<PopupPorts["activeTabUrl"]>(async () => tabUrl),
    hasSite: vi.fn<PopupPorts["hasSite"]>(async () => false),
    requestSite: vi.fn<PopupPorts["requestSite"]>(async () => true),
  };
}

/** Renders the popup on a clock the test moves, and waits for its first answer. */
async function renderPopup(
  state: BackgroundState | (() => Promise<BackgroundState>),
  tabUrl: string | null = null,
) {
  const clock = { now: T0 };
  const ports = fakePorts(typeof state === "function" ? state : async () => state, tabUrl);
  render(<PopupApp ports={ports} now={() => clock.now} />);
  await act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
  /** Moves the clock and the popup's one-second timer together. */
  const advance = async (ms: number) => {
    await act(async () => {
      clock.now += ms;
      await vi.advanceTimersByTimeAsync(ms);
    });
  };
  return { ports, advance };
}

function card(name: string): HTMLElement {
  const found = screen.getAllByTestId("popup-host").find((c) => c.dataset.host === name);
  if (found === undefined) throw new Error(`no card for ${name}`);
  return found;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "setTimeout", "clearTimeout"] });
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("the popup", () => {
  it("shows each host with its provider, what is left of its limit, the reset and burn rate", async () => {
    await renderPopup(
      backgroundState({
        hosts: [
          host("api.casola.ai", { limit: 100, remaining: 7, requestsLastMinute: 12 }),
          host("api.cuadra.ai"),
        ],
      }),
    );
    expect(screen.getAllByTestId("popup-host").map((c) => c.dataset.host)).toEqual([
      "api.casola.ai",
      "api.cuadra.ai",
    ]);
    const casola = within(card("api.casola.ai"));
    expect(casola.getByTestId("popup-remaining").textContent).toBe("7");
    expect(casola.getByTestId("popup-limit").textContent).toBe("100");
    expect(casola.getByText("casola")).toBeTruthy();
    expect(casola.getByTestId("popup-reset").textContent).toMatch(/^in 30 s \(/);
    expect(casola.getByTestId("popup-burn-rate").textContent).toBe("12 requests/min");
    expect(casola.getByTestId("popup-runs-out").textContent).toBe("in about 35 s at this rate");
    expect(casola.queryByTestId("popup-estimate")).toBeNull();
    expect(casola.queryByTestId("popup-retry-after")).toBeNull();
  });

  it("shows every meter of a host with several, each counting down to its own reset", async () => {
    const openai = host("api.openai.com", {
      provider: "generic",
      limit: 30_000,
      remaining: 0,
      resetAt: T0 + 6000,
      meters: [
        {
          name: "tokens",
          unit: "tokens",
          limit: 30_000,
          remaining: 0,
          resetAt: T0 + 6000,
          source: "headers",
        },
        {
          name: "requests",
          unit: "requests",
          limit: 500,
          remaining: 499,
          resetAt: T0 + 20_000,
          source: "headers",
        },
      ],
    });
    const { advance } = await renderPopup(
      backgroundState({ hosts: [openai, host("api.casola.ai")] }),
    );
    const meters = within(card("api.openai.com")).getAllByTestId("meter");
    expect(meters.map((m) => m.dataset.meter)).toEqual(["tokens", "requests"]);
    const resets = () => meters.map((m) => within(m).getByTestId("meter-reset").textContent);
    expect(resets()).toEqual([
      expect.stringMatching(/^in 6 s /),
      expect.stringMatching(/^in 20 s /),
    ]);
    expect(meters.map((m) => within(m).getByTestId("meter-remaining").textContent)).toEqual([
      "0",
      "499",
    ]);
    expect(within(card("api.openai.com")).getByTestId("popup-remaining").textContent).toBe("0");
    await advance(2000);
    expect(resets()).toEqual([
      expect.stringMatching(/^in 4 s /),
      expect.stringMatching(/^in 18 s /),
    ]);
    await advance(4000);
    expect(resets()).toEqual(["now", expect.stringMatching(/^in 14 s /)]);
    // A host with one meter keeps its one line of figures.
    expect(within(card("api.casola.ai")).queryAllByTestId("meter")).toEqual([]);
  });

  it("labels a budget estimated without rate-limit headers", async () => {
    await renderPopup(
      backgroundState({
        hosts: [
          host("api.cuadra.ai", { source: "estimate", limitFrom: "documented", remaining: 55 }),
        ],
      }),
    );
    expect(screen.getByTestId("popup-estimate").textContent).toBe(
      "estimate from documented limits, no rate-limit headers",
    );
  });

  it("says a limit the user set is theirs, not a documented one", async () => {
    await renderPopup(
      backgroundState({
        hosts: [host("api.cuadra.ai", { source: "estimate", limitFrom: "setting", remaining: 5 })],
      }),
    );
    expect(screen.getByTestId("popup-estimate").textContent).toBe(
      "estimate from the limit set in the options, no rate-limit headers",
    );
  });

  it("counts Retry-After down as the clock moves, then drops it once it has passed", async () => {
    const state = backgroundState({
      hosts: [host("api.casola.ai", { remaining: 0, retryAfterUntil: T0 + 3000 })],
    });
    const { advance } = await renderPopup(state);
    expect(screen.getByTestId("popup-retry-after").textContent).toMatch(/^wait 3 s more/);
    await advance(1000);
    expect(screen.getByTestId("popup-retry-after").textContent).toMatch(/^wait 2 s more/);
    await advance(1000);
    expect(screen.getByTestId("popup-retry-after").textContent).toMatch(/^wait 1 s more/);
    await advance(1000);
    expect(screen.queryByTestId("popup-retry-after")).toBeNull();
  });

  it("asks the background again every second, so new traffic shows while it is open", async () => {
    let remaining = 42;
    const { ports, advance } = await renderPopup(async () =>
      backgroundState({ hosts: [host("api.casola.ai", { remaining })] }),
    );
    expect(screen.getByTestId("popup-remaining").textContent).toBe("42");
    remaining = 41;
    await advance(1000);
    expect(screen.getByTestId("popup-remaining").textContent).toBe("41");
    expect(ports.getState).toHaveBeenCalledTimes(2);
  });

  it("names decoded errors by code, and says how to decode those known only by status", async () => {
    await renderPopup(
      backgroundState({
        hosts: [
          host("api.casola.ai", {}, [
            { status: 429, code: "quota_exceeded", count: 3, last: T0 - 1000 },
            { status: 503, code: null, count: 1, last: T0 - 500 },
          ]),
        ],
      }),
    );
    const errors = screen.getAllByTestId("popup-error");
    // The latest first.
    expect(errors.map((e) => [e.dataset.status, e.dataset.code])).toEqual([
      ["503", ""],
      ["429", "quota_exceeded"],
    ]);
    expect(errors[1]?.textContent).toBe("429 quota_exceeded ×3");
    expect(errors[0]?.textContent).toBe(
      "503 (status only: open the Ratelens panel in DevTools to decode it) ×1",
    );
  });

  it("says when full storage made the background drop its oldest requests", async () => {
    await renderPopup(backgroundState({ hosts: [host("api.casola.ai")], storageDropped: 1000 }));
    expect(screen.getByTestId("storage-dropped").textContent).toBe(
      "Storage was full: the oldest 1000 requests kept for matching were dropped. Budgets and error counts are kept.",
    );
  });

  it("says nothing of storage while nothing was dropped", async () => {
    await renderPopup(backgroundState({ hosts: [host("api.casola.ai")] }));
    expect(screen.queryByTestId("storage-dropped")).toBeNull();
  });

  it("counts the findings the panel raised", async () => {
    await renderPopup(backgroundState({ hosts: [host("api.casola.ai")], findings: 3 }));
    expect(screen.getByTestId("popup-findings").textContent).toMatch(/^3 findings/);
  });

  it("shows what bad retries cost per host, as the background sums it, and nothing when none", async () => {
    await renderPopup(
      backgroundState({
        hosts: [host("api.casola.ai")],
        findings: 3,
        cost: [
          { host: "api.openai.com", wastedRequests: 3, wastedSeconds: 1.5 },
          { host: "api.casola.ai", wastedRequests: 1, wastedSeconds: 0.25 },
        ],
      }),
    );
    expect(screen.getAllByTestId("host-cost").map((c) => c.textContent)).toEqual([
      "api.openai.com: 3 requests wasted, 1.5 s lost",
      "api.casola.ai: 1 request wasted, 250 ms lost",
    ]);
    cleanup();
    await renderPopup(backgroundState({ hosts: [host("api.casola.ai")], findings: 3 }));
    expect(screen.queryByTestId("host-cost")).toBeNull();
  });

  it("puts the active tab's host first and marks it", async () => {
    await renderPopup(
      backgroundState({
        hosts: [host("api.casola.ai"), host("api.cuadra.ai")],
        activeHost: "api.cuadra.ai",
      }),
    );
    const cards = screen.getAllByTestId("popup-host");
    expect(cards.map((c) => c.dataset.host)).toEqual(["api.cuadra.ai", "api.casola.ai"]);
    expect(cards.map((c) => c.dataset.active)).toEqual(["true", "false"]);
    expect(within(card("api.cuadra.ai")).getByText("this tab")).toBeTruthy();
  });

  it("tells a new user what to do before any traffic, with a way to the options", async () => {
    const { ports } = await renderPopup(backgroundState());
    const empty = screen.getByTestId("popup-empty");
    expect(empty.textContent).toContain(
      "No API traffic yet. Use your app (requests to api.casola.ai, api.cuadra.ai or hosts you add in Options); open DevTools → Ratelens to decode errors and see findings.",
    );
    fireEvent.click(within(empty).getByRole("button", { name: "Open Options" }));
    expect(ports.openOptions).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("popup-findings")).toBeNull();
  });

  it("says in one line when the background cannot be reached, and recovers when it can", async () => {
    let fail = true;
    const { advance } = await renderPopup(async () => {
      if (fail) throw new Error("Could not establish connection. Receiving end does not exist.");
      return backgroundState({ hosts: [host("api.casola.ai")] });
    });
    expect(screen.getByTestId("popup-failure").textContent).toBe(
      "Could not read Ratelens's state from its background: Could not establish connection. Receiving end does not exist.",
    );
    expect(screen.queryByTestId("popup-empty")).toBeNull();
    fail = false;
    await advance(1000);
    await waitFor(() => expect(screen.queryByTestId("popup-failure")).toBeNull());
    expect(screen.getAllByTestId("popup-host")).toHaveLength(1);
  });
});

describe("the popup on a tab whose calls Ratelens has not seen", () => {
  const APP = "http://127.0.0.1:5173/demo/";

  it("names the tab's site and asks the browser for it from the click", async () => {
    const { ports } = await renderPopup(backgroundState(), APP);
    const offer = screen.getByTestId("popup-site-offer");
    expect(offer.textContent).toContain("127.0.0.1");
    expect(offer.textContent).toContain("127.0.0.1 on every port");
    expect(ports.hasSite).toHaveBeenCalledWith("*://127.0.0.1/*");
    fireEvent.click(within(offer).getByRole("button", { name: "Watch 127.0.0.1" }));
    // Called within the click itself, before any await: the browser's prompt needs the gesture.
    expect(ports.requestSite).toHaveBeenCalledWith("*://127.0.0.1/*");
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(screen.queryByTestId("popup-site-offer")).toBeNull();
    expect(screen.getByTestId("popup-site-granted").textContent).toContain(
      "the badge follows this page's calls",
    );
  });

  it("keeps the offer, saying so, when the user refuses", async () => {
    const { ports } = await renderPopup(backgroundState(), "https://app.example.test/");
    ports.requestSite.mockResolvedValue(false);
    fireEvent.click(screen.getByRole("button", { name: "Watch app.example.test" }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(screen.getByTestId("popup-site-refused")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Watch app.example.test" })).toBeTruthy();
  });

  it("offers nothing on a site already allowed, and says the badge follows it", async () => {
    const clock = { now: T0 };
    const ports = fakePorts(async () => backgroundState(), APP);
    ports.hasSite.mockResolvedValue(true);
    render(<PopupApp ports={ports} now={() => clock.now} />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(screen.queryByRole("button", { name: /^Watch/ })).toBeNull();
    expect(screen.getByTestId("popup-site-granted").dataset.site).toBe("127.0.0.1");
  });

  it("gives only the reason on a page no extension may watch", async () => {
    const { ports } = await renderPopup(backgroundState(), "chrome://extensions/");
    expect(screen.getByTestId("popup-site-closed").textContent).toContain(
      "Ratelens cannot watch this page",
    );
    expect(screen.queryByRole("button", { name: /^Watch/ })).toBeNull();
    expect(ports.hasSite).not.toHaveBeenCalled();
  });

  it("says how to get the offer when the tab's address is unknown", async () => {
    await renderPopup(backgroundState(), null);
    expect(screen.getByTestId("popup-site-unknown").textContent).toContain(
      "Open this popup with the toolbar button",
    );
  });

  it("offers nothing once the tab's calls are counted", async () => {
    await renderPopup(
      backgroundState({ hosts: [host("api.casola.ai")], activeHost: "api.casola.ai" }),
      APP,
    );
    expect(screen.queryByTestId("popup-site-offer")).toBeNull();
    expect(screen.getAllByTestId("popup-host")).toHaveLength(1);
  });

  it("still offers the site when other tabs' hosts are listed", async () => {
    await renderPopup(backgroundState({ hosts: [host("api.casola.ai")] }), APP);
    expect(screen.getByTestId("popup-site-offer").dataset.site).toBe("127.0.0.1");
    expect(screen.getAllByTestId("popup-host")).toHaveLength(1);
  });
});
