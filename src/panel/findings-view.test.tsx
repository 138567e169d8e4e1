// @vitest-environment happy-dom
import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakePorts } from "../../test/support/panel-test-kit.js";
import type { Finding } from "../core/finding.js";
import { findingsByRule } from "../core/report.js";
import type { RuleId } from "../core/rules/index.js";
import type { Severity } from "../core/types.js";
import { FindingsView } from "./components/findings-view.js";

// A registry whose order is not the severity order: the view must follow the core's grouping
// (severity first), not the registry's order.
vi.mock("../core/rules/index.js", async (importOriginal) => {
  const { RULES } = await importOriginal<typeof import("../core/rules/index.js")>();
  return { RULES: [...RULES].reverse() };
});

afterEach(cleanup);

function finding(rule: RuleId, severity: Severity, entries: number[]): Finding {
  return { rule, severity, message: `${rule} fired`, entries, advice: "" };
}

describe("FindingsView", () => {
  it("groups findings as every report does: the core's findingsByRule, errors first", () => {
    const findings = [
      finding("contract-breach", "info", [0]),
      finding("no-backoff", "warning", [0, 1, 2]),
      finding("retry-non-retryable", "error", [3, 4]),
      finding("contract-breach", "info", [5]),
    ];
    render(
      <FindingsView
        findings={findings}
        entryAt={() => undefined}
        ports={fakePorts()}
        onShowRequest={() => {}}
      />,
    );
    const groups = screen.getAllByRole("region").map((r) => r.getAttribute("aria-label"));
    expect(groups).toEqual(["retry-non-retryable", "no-backoff", "contract-breach"]);
    expect(groups).toEqual(findingsByRule(findings).map((g) => g.rule.id));
    expect(screen.getAllByTestId("finding").map((f) => f.dataset.rule)).toEqual([
      "retry-non-retryable",
      "no-backoff",
      "contract-breach",
      "contract-breach",
    ]);
  });
});
