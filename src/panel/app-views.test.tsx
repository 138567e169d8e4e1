// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, test, vi } from "vitest";
import { entry, T0 } from "../../test/support/har.js";
import { importSample, renderPanel, row, rows } from "../../test/support/panel-test-kit.js";
import { DEFAULT_SETTINGS } from "../settings/settings.js";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("findings view", () => {
  test("shows each retry chain once with its cost, the header the session's cost, the rest by rule", async () => {
    const { store } = renderPanel();
    await importSample(store);
    // The core's figures, as the CLI prints them for the same file.
    const { cost } = store.session.report();
    expect(cost).toMatchObject({ wastedRequests: 2, wastedSeconds: 40.1 });
    expect(screen.getByTestId("session-cost").textContent).toBe(
      "Bad retries cost: 2 requests wasted, 40 s lost",
    );
    fireEvent.click(screen.getByTestId("tab-findings"));
    const chains = await screen.findAllByTestId("chain");
    expect(chains.map((c) => c.dataset.rules)).toEqual([
      "retry-non-retryable retry-after-ignored",
      "rate-limit-exhausted",
      "no-backoff",
    ]);
    const loop = chains[0] as HTMLElement;
    expect(within(loop).getByTestId("chain-message").textContent).toBe(
      "retried a 429 rate_limit 3 times in 40 s",
    );
    expect(within(loop).getByTestId("chain-cost").textContent).toBe(
      "4 attempts: 2 requests wasted, 40 s lost",
    );
    expect(within(loop).getByTestId("chain-caller").textContent).toContain(
      "submitJob client.js:12:11",
    );
    // What no chain holds stays grouped by rule.
    expect(screen.getAllByTestId("finding").map((f) => f.dataset.rule)).toEqual([
      "retry-without-idempotency-key",
      "retry-without-idempotency-key",
      "contract-breach",
    ]);
    expect(
      screen.getByRole("region", { name: "retry-without-idempotency-key" }).textContent,
    ).toContain("2 findings");
    // Expanded, the chains show their attempts' findings: every finding is there once.
    for (const toggle of screen.getAllByTestId("chain-toggle")) fireEvent.click(toggle);
    const findings = screen.getAllByTestId("finding");
    expect(findings).toHaveLength(7);
    expect(findings.map((f) => f.dataset.rule)).toEqual([
      "retry-after-ignored",
      "retry-non-retryable",
      "rate-limit-exhausted",
      "no-backoff",
      "retry-without-idempotency-key",
      "retry-without-idempotency-key",
      "contract-breach",
    ]);
    const ignored = findings[0] as HTMLElement;
    expect(ignored.textContent).toContain(
      "retried 1 s after a 429 rate_limit whose Retry-After was 30 s",
    );
    expect(ignored.textContent).toContain("Honor Retry-After: wait at least the delay it states");
  });

  test("clicking a request of the chain shows it selected in the Requests view", async () => {
    const { store } = renderPanel();
    await importSample(store);
    // A filter that hides the request is lifted so the request can be shown.
    fireEvent.click(screen.getByRole("checkbox", { name: "Flagged only" }));
    await waitFor(() => expect(rows()).toHaveLength(6));
    fireEvent.click(screen.getByTestId("tab-findings"));
    fireEvent.click(screen.getAllByTestId("chain-toggle")[0] as HTMLElement);
    const finding = screen
      .getAllByTestId("finding")
      .find((f) => f.dataset.rule === "retry-non-retryable") as HTMLElement;
    const chain = within(finding).getAllByTestId("chain-link");
    expect(chain.map((c) => c.textContent)).toEqual([
      "#4 POST /v1/jobs 429 quota_exceeded",
      "#5 POST /v1/jobs 429 quota_exceeded",
    ]);
    fireEvent.click(chain[0] as HTMLElement);
    await waitFor(() =>
      expect(screen.getByTestId("tab-requests").getAttribute("aria-selected")).toBe("true"),
    );
    expect(row(4).getAttribute("aria-selected")).toBe("true");
    expect(rows()).toHaveLength(10);
    expect(screen.getByTestId("detail-code").textContent).toBe("quota_exceeded");
  });

  test("the caller link of a finding opens the script at its 1-based position", async () => {
    const { store, ports } = renderPanel();
    await importSample(store);
    fireEvent.click(screen.getByTestId("tab-findings"));
    const group = await screen.findByRole("region", { name: "contract-breach" });
    fireEvent.click(within(group).getByTestId("caller-link"));
    expect(ports.openResource).toHaveBeenCalledWith("http://127.0.0.1:5173/demo/client.js", 95, 11);
  });
});

describe("budget view", () => {
  test("shows remaining of limit per host, labelled as an estimate, as of the recording's end", async () => {
    const { store } = renderPanel();
    await importSample(store);
    fireEvent.click(screen.getByTestId("tab-budget"));
    const casola = await screen.findByRole("article", { name: "Budget of api.casola.ai" });
    expect(casola.dataset.host).toBe("api.casola.ai");
    expect(within(casola).getByTestId("budget-remaining").textContent).toBe("98");
    expect(within(casola).getByTestId("budget-limit").textContent).toBe("100");
    expect(within(casola).getByTestId("budget-estimate").textContent).toBe(
      "estimate: requests counted against the limit earlier rate-limit headers stated",
    );
    const cuadra = screen.getByRole("article", { name: "Budget of api.cuadra.ai" });
    expect(within(cuadra).getByTestId("budget-remaining").textContent).toBe("56");
    expect(within(cuadra).getByTestId("budget-limit").textContent).toBe("60");
    expect(within(cuadra).getByTestId("budget-estimate").textContent).toBe(
      "estimate from documented limits, no rate-limit headers",
    );
    expect(within(cuadra).getByRole("img").getAttribute("aria-label")).toMatch(
      /^Remaining budget of api\.cuadra\.ai from /,
    );
    expect(screen.getByText(/Figures as of the end of the recording/)).toBeTruthy();
  });

  test("says a limit the user set is theirs, as the core reports it", async () => {
    const { store } = renderPanel();
    await importSample(store);
    store.configure({
      ...DEFAULT_SETTINGS,
      limits: [{ host: "api.cuadra.ai", limit: 30, windowSeconds: 60 }],
    });
    fireEvent.click(screen.getByTestId("tab-budget"));
    const cuadra = await screen.findByRole("article", { name: "Budget of api.cuadra.ai" });
    expect(within(cuadra).getByTestId("budget-limit").textContent).toBe("30");
    expect(within(cuadra).getByTestId("budget-estimate").textContent).toBe(
      "estimate from the limit set in the options, no rate-limit headers",
    );
  });

  test("counts the reset and the Retry-After down every second without new traffic", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    let clock = T0 + 1000;
    const { store } = renderPanel({ now: () => clock });
    store.add(
      entry({
        status: 429,
        time: 100,
        body: '{"error":{"code":"rate_limit","message":"Too many requests"}}',
        headers: {
          "Retry-After": "30",
          "X-RateLimit-Limit": "100",
          "X-RateLimit-Remaining": "0",
          "X-RateLimit-Reset": "42",
        },
      }),
      "live",
    );
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(screen.getByTestId("tab-budget"));
    const card = await screen.findByTestId("budget-host");
    expect(within(card).getByTestId("budget-remaining").textContent).toBe("0");
    expect(within(card).getByTestId("budget-limit").textContent).toBe("100");
    expect(within(card).queryByTestId("budget-estimate")).toBeNull();
    // The response ended at T0 + 100 ms: reset 42 s and Retry-After 30 s after that.
    expect(within(card).getByTestId("budget-reset-countdown").textContent).toMatch(/^in 42 s/);
    expect(within(card).getByTestId("budget-retry-after").textContent).toMatch(/^wait 30 s more/);

    clock += 5000;
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(within(card).getByTestId("budget-reset-countdown").textContent).toMatch(/^in 37 s/);
    expect(within(card).getByTestId("budget-retry-after").textContent).toMatch(/^wait 25 s more/);

    clock += 30_000;
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(within(card).getByTestId("budget-reset-countdown").textContent).toMatch(/^in 7 s/);
    expect(within(card).queryByTestId("budget-retry-after")).toBeNull();
  });
});

describe("budget view's meters", () => {
  /** A GitHub response as its docs show one: the resource it drew on, and that resource's figures. */
  function github(resource: string, limit: number, remaining: number, resetIn: number, at: number) {
    return entry({
      url: "https://api.github.com/graphql",
      startedDateTime: at,
      body: "{}",
      headers: {
        "x-ratelimit-limit": String(limit),
        "x-ratelimit-remaining": String(remaining),
        "x-ratelimit-used": String(limit - remaining),
        "x-ratelimit-reset": String(Math.floor((at + resetIn) / 1000)),
        "x-ratelimit-resource": resource,
      },
    });
  }

  test("a preset turned on is watched at once, and each of its host's meters shows and counts down", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    let clock = T0 + 1000;
    const { store } = renderPanel({ now: () => clock });
    // Before the preset is on, api.github.com is not an API host: nothing is kept of it.
    expect(store.add(github("core", 5000, 4990, 600_000, T0), "live")).toBe(false);
    store.configure({ ...DEFAULT_SETTINGS, presets: ["github"] });
    expect(store.add(github("core", 5000, 4990, 600_000, T0), "live")).toBe(true);
    expect(store.add(github("graphql", 5000, 12, 300_000, T0 + 500), "live")).toBe(true);
    fireEvent.click(screen.getByTestId("tab-budget"));
    const card = await screen.findByRole("article", { name: "Budget of api.github.com" });
    const meters = within(card).getAllByTestId("meter");
    expect(meters.map((m) => m.dataset.meter)).toEqual(["graphql", "core"]);
    expect(within(card).getByTestId("budget-remaining").textContent).toBe("12");
    const figures = () =>
      meters.map((m) =>
        ["meter-remaining", "meter-limit", "meter-reset"].map(
          (id) => within(m).getByTestId(id).textContent,
        ),
      );
    const [graphqlReset, coreReset] = figures().map((f) => f[2]);
    expect(figures().map((f) => f.slice(0, 2))).toEqual([
      ["12", "5000"],
      ["4990", "5000"],
    ]);
    expect(graphqlReset).toMatch(/^in 4 min 59 s /);
    expect(coreReset).toMatch(/^in 9 min 59 s /);
    expect(meters.map((m) => m.querySelector("meter")?.getAttribute("aria-label"))).toEqual([
      "Remaining graphql of api.github.com",
      "Remaining core of api.github.com",
    ]);

    clock += 60_000;
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(figures()[0]?.[2]).toMatch(/^in 3 min 59 s /);
    expect(figures()[1]?.[2]).toMatch(/^in 8 min 59 s /);
  });
});

describe("virtual list", () => {
  test("renders a screenful of rows for 20,000 requests and keeps the selection in view", async () => {
    const { store } = renderPanel();
    const entries = Array.from({ length: 20_000 }, (_, i) =>
      entry({
        url: `https://api.casola.ai/v1/jobs/job_${i}`,
        startedDateTime: T0 + i * 1000,
        status: i % 1000 === 999 ? 500 : 200,
        body: '{"ok":true}',
      }),
    );
    const result = store.importHar("big.har", JSON.stringify({ log: { entries } }));
    expect(result).toEqual({
      ok: true,
      added: 20_000,
      apiRequests: 20_000,
      skipped: 0,
      unreadable: [],
    });
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    expect(rows().length).toBeLessThan(100);
    expect(screen.getByText("20000 requests")).toBeTruthy();

    const list = screen.getByRole("listbox", { name: "Requests" });
    fireEvent.keyDown(list, { key: "End" });
    await waitFor(() => expect(row(19_999).getAttribute("aria-selected")).toBe("true"));
    expect(rows().length).toBeLessThan(100);
    fireEvent.keyDown(list, { key: "ArrowUp" });
    fireEvent.keyDown(list, { key: "Enter" });
    await waitFor(() => expect(screen.getByTestId("detail").textContent).toContain("job_19998"));

    fireEvent.keyDown(list, { key: "Home" });
    await waitFor(() => expect(row(0).getAttribute("aria-selected")).toBe("true"));
    for (let i = 0; i < 60; i++) fireEvent.keyDown(list, { key: "ArrowDown" });
    await waitFor(() => expect(row(60).getAttribute("aria-selected")).toBe("true"));
    expect(rows().length).toBeLessThan(100);
  });
});
