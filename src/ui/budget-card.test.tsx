// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { withMeter } from "../../test/support/budget.js";
import { T0 } from "../../test/support/har.js";
import type { BudgetState } from "../core/budget/budget-tracker.js";
import { BudgetCard } from "./budget-card.js";

afterEach(cleanup);

const budget: BudgetState = withMeter({
  host: "api.casola.ai",
  provider: "casola",
  limit: 100,
  remaining: 5,
  resetAt: T0 + 42_000,
  retryAfterUntil: T0 + 20_000,
  source: "headers",
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
