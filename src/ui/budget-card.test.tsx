// @vitest-environment happy-dom
import { cleanup, render, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { casolaBudget } from "../../test/support/budget.js";
import { T0 } from "../../test/support/har.js";
import type { BudgetState } from "../core/budget/budget-tracker.js";
import { BudgetCard } from "./budget-card.js";

afterEach(cleanup);

const budget: BudgetState = casolaBudget({
  remaining: 5,
  resetAt: T0 + 42_000,
  retryAfterUntil: T0 + 20_000,
  requestsLastMinute: 12,
  skewMs: 3000,
});

describe("BudgetCard", () => {
  it("says the same of a budget in the panel and in the popup, under each one's test ids", () => {
    const texts = (["panel", "popup"] as const).map((surface) => {
      const { container, unmount } = render(
        <BudgetCard surface={surface} budget={budget} now={T0} />,
      );
      const card = container.querySelector("article");
      const prefix = surface === "panel" ? "budget" : "popup";
      expect(screen.getByTestId(`${prefix}-remaining`).textContent).toBe("5");
      expect(screen.getByTestId(`${prefix}-limit`).textContent).toBe("100");
      expect(card?.className, surface).toMatch(surface === "panel" ? /budget-low/ : /host-low/);
      const facts = card?.querySelector("dl")?.textContent ?? "";
      unmount();
      return facts;
    });
    expect(texts[0]).toBe(texts[1]);
    expect(texts[0]).toContain("12 requests/min");
    expect(texts[0]).toContain("Clock skew");
    expect(texts[0]).toContain("wait 20 s more");
  });

  it("drops a Retry-After that has passed and shows the estimate note only for estimates", () => {
    render(
      <BudgetCard
        surface="popup"
        budget={{
          ...budget,
          source: "estimate",
          limitFrom: "documented",
          retryAfterUntil: T0 - 1000,
        }}
        now={T0}
        active
      />,
    );
    expect(screen.queryByTestId("popup-retry-after")).toBeNull();
    expect(screen.getByTestId("popup-estimate").textContent).toBe(
      "estimate from documented limits, no rate-limit headers",
    );
    expect(screen.getByTestId("popup-host").dataset.active).toBe("true");
  });
});

/** The accessible names of the `<meter>`s drawn, in order (happy-dom gives `<meter>` no role). */
function meterLabels(): (string | null)[] {
  return [...document.querySelectorAll("meter")].map((m) => m.getAttribute("aria-label"));
}

describe("BudgetCard's meters", () => {
  const openai = casolaBudget({
    host: "api.openai.com",
    provider: "generic",
    limit: 30_000,
    remaining: 0,
    resetAt: T0 + 6_000,
    meters: [
      {
        name: "tokens",
        unit: "tokens",
        limit: 30_000,
        remaining: 0,
        resetAt: T0 + 6_000,
        source: "headers",
      },
      {
        name: "requests",
        unit: "requests",
        limit: 500,
        remaining: 499,
        resetAt: T0 + 45_000,
        source: "headers",
      },
    ],
  });

  it("does not time a tokens headline by requests per minute", () => {
    const tokensLeft = {
      ...openai,
      remaining: 12_000,
      meters: openai.meters.map((m) => (m.name === "tokens" ? { ...m, remaining: 12_000 } : m)),
    };
    render(<BudgetCard surface="popup" budget={tokensLeft} now={T0} />);
    expect(screen.getByTestId("popup-runs-out").textContent).toBe(
      "unknown (tokens go by each request's size)",
    );
  });

  it.each(["panel", "popup"] as const)(
    "lists every meter of a host with several in the %s, binding first, each with its own figures and countdown",
    (surface) => {
      render(<BudgetCard surface={surface} budget={openai} now={T0} />);
      const rows = screen.getAllByTestId("meter");
      expect(rows.map((r) => r.dataset.meter)).toEqual(["tokens", "requests"]);
      const [tokens, requests] = rows as [HTMLElement, HTMLElement];
      expect(within(tokens).getByTestId("meter-remaining").textContent).toBe("0");
      expect(within(tokens).getByTestId("meter-limit").textContent).toBe("30000");
      expect(within(tokens).getByTestId("meter-reset").textContent).toMatch(/^in 6 s \(/);
      expect(within(requests).getByTestId("meter-remaining").textContent).toBe("499");
      expect(within(requests).getByTestId("meter-limit").textContent).toBe("500");
      expect(within(requests).getByTestId("meter-reset").textContent).toMatch(/^in 45 s \(/);
      expect(tokens.querySelector("meter")?.getAttribute("aria-label")).toBe(
        "Remaining tokens of api.openai.com",
      );
      expect(requests.querySelector("meter")?.getAttribute("aria-label")).toBe(
        "Remaining requests of api.openai.com",
      );
      expect(tokens.textContent).toContain("tokens");
      // The headline stays the binding meter's, under each surface's own ids.
      const prefix = surface === "panel" ? "budget" : "popup";
      expect(screen.getByTestId(`${prefix}-remaining`).textContent).toBe("0");
      expect(screen.getByTestId(`${prefix}-limit`).textContent).toBe("30000");
      expect(meterLabels()[0]).toBe("Remaining tokens of api.openai.com, the least left");
    },
  );

  it("says which meter is an estimate and which reset is unknown", () => {
    render(
      <BudgetCard
        surface="panel"
        budget={{
          ...openai,
          meters: [
            {
              name: "tokens",
              unit: "tokens",
              limit: null,
              remaining: 12,
              resetAt: null,
              source: "headers",
            },
            {
              name: "requests",
              unit: "requests",
              limit: 60,
              remaining: 58,
              resetAt: T0 + 60_000,
              source: "estimate",
            },
          ],
        }}
        now={T0}
      />,
    );
    const [tokens, requests] = screen.getAllByTestId("meter") as [HTMLElement, HTMLElement];
    expect(within(tokens).getByTestId("meter-limit").textContent).toBe("?");
    expect(within(tokens).getByTestId("meter-reset").textContent).toBe("unknown");
    expect(tokens.textContent).not.toContain("estimate");
    expect(requests.textContent).toContain("(estimate)");
  });

  it("draws no meter rows for a host with one meter, its meter named as before", () => {
    render(<BudgetCard surface="popup" budget={casolaBudget()} now={T0} />);
    expect(screen.queryAllByTestId("meter")).toEqual([]);
    expect(meterLabels()).toEqual(["Remaining requests of api.casola.ai"]);
  });
});

describe("BudgetCard's meter of a limit of 0", () => {
  it("is empty, with a max above its min: browsers differ on a meter whose max is its min", () => {
    render(
      <BudgetCard
        surface="popup"
        budget={casolaBudget({ host: "api.openai.com", limit: 0, remaining: 0 })}
        now={T0}
      />,
    );
    const meter = document.querySelector("meter") as HTMLMeterElement;
    expect([meter.getAttribute("min"), meter.getAttribute("max")]).toEqual(["0", "1"]);
    expect(Number(meter.value)).toBe(0);
    expect(screen.getByTestId("popup-limit").textContent).toBe("0");
  });
});
