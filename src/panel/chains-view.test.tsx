// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { entry } from "../../test/support/har.js";
import { fakePorts } from "../../test/support/panel-test-kit.js";
import type { Chain } from "../core/chains.js";
import type { Finding } from "../core/finding.js";
import type { SessionEntry } from "../core/session.js";
import { FindingsView } from "./components/findings-view.js";
import { SessionCost } from "./components/session-cost.js";

afterEach(cleanup);

function finding(
  rule: Finding["rule"],
  entries: number[],
  severity: Finding["severity"] = "error",
): Finding {
  return { rule, severity, message: `${rule} on #${entries.at(-1)}`, entries, advice: "" };
}

/** A chain written as the core reports one: an OpenAI SDK loop on a 429. */
const SDK_LOOP: Chain = {
  rules: ["retry-non-retryable"],
  severity: "error",
  entries: [0, 1, 2, 3],
  host: "api.openai.com",
  method: "POST",
  url: "https://api.openai.com/v1/chat/completions",
  attempts: 4,
  wastedRequests: 3,
  wastedSeconds: 1.5,
  marks: [0, 1, 2, 3].map((index) => ({
    index,
    start: 1000 + index * 500,
    end: 1100 + index * 500,
    status: 429,
    wasted: index > 0,
  })),
  ruleFindings: [{ rule: "retry-non-retryable", count: 3, first: "retry-non-retryable on #1" }],
  caller: { url: "http://localhost:5173/src/chat.ts", line: 42, column: 9, function: "ask" },
  library: {
    name: "openai SDK",
    option: "maxRetries",
    advice: "Pass maxRetries: 0 for insufficient_quota; the SDK retries every 429.",
  },
  message: "retried a 429 insufficient_quota 3 times in 1.5 s",
  advice: "Stop retrying on insufficient_quota.",
};

const ATTEMPTS = [
  finding("retry-non-retryable", [0, 1]),
  finding("retry-non-retryable", [1, 2]),
  finding("retry-non-retryable", [2, 3]),
];

function show(findings: readonly Finding[], chains: readonly Chain[] | undefined) {
  const ports = fakePorts();
  render(
    <FindingsView
      findings={findings}
      chains={chains}
      entryAt={() => undefined}
      ports={ports}
      onShowRequest={() => {}}
    />,
  );
  return ports;
}

describe("FindingsView by chain", () => {
  it("shows a chain once, with its attempts, cost, library option and caller", () => {
    const ports = show(ATTEMPTS, [SDK_LOOP]);
    const rows = screen.getAllByTestId("chain");
    expect(rows).toHaveLength(1);
    const row = rows[0] as HTMLElement;
    expect(within(row).getByTestId("chain-message").textContent).toBe(SDK_LOOP.message);
    expect(within(row).getByTestId("chain-cost").textContent).toBe(
      "4 attempts: 3 requests wasted, 1.5 s lost",
    );
    expect(within(row).getByTestId("chain-library").textContent).toBe(
      "openai SDK (maxRetries): Pass maxRetries: 0 for insufficient_quota; the SDK retries every 429.",
    );
    expect(row.textContent).toContain("POST api.openai.com/v1/chat/completions");
    // The caller opens in Sources at the developer's own line.
    fireEvent.click(within(row).getByRole("button", { name: "Open chat.ts:42:9 in Sources" }));
    expect(ports.openResource).toHaveBeenCalledWith("http://localhost:5173/src/chat.ts", 42, 9);
    // The per-attempt findings are under the chain, not beside it.
    expect(screen.queryAllByTestId("finding")).toHaveLength(0);
  });

  it("expands a chain into the findings of its attempts, and folds it again", () => {
    show(ATTEMPTS, [SDK_LOOP]);
    const toggle = screen.getByTestId("chain-toggle");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const attempts = screen.getByTestId("chain-attempts");
    expect(
      within(attempts)
        .getAllByTestId("finding-message")
        .map((m) => m.textContent),
    ).toEqual([
      "retry-non-retryable on #1",
      "retry-non-retryable on #2",
      "retry-non-retryable on #3",
    ]);
    fireEvent.click(toggle);
    expect(screen.queryByTestId("chain-attempts")).toBeNull();
  });

  it("keeps a finding of another rule or request outside the chain, grouped by rule", () => {
    // Near misses: the chain's request under another rule, and the chain's rule on another request.
    const outside = [
      finding("contract-breach", [2], "info"),
      finding("retry-non-retryable", [7, 8]),
    ];
    show([...ATTEMPTS, ...outside], [SDK_LOOP]);
    expect(screen.getAllByTestId("chain")).toHaveLength(1);
    expect(screen.getAllByTestId("finding").map((f) => f.dataset.rule)).toEqual([
      "retry-non-retryable",
      "contract-breach",
    ]);
  });

  it("gives today's advice when no library is known, and no caller line when none is", () => {
    const { library: _library, caller: _caller, ...unknown } = SDK_LOOP;
    show(ATTEMPTS, [unknown]);
    const row = screen.getByTestId("chain");
    expect(within(row).queryByTestId("chain-library")).toBeNull();
    expect(row.textContent).toContain("Stop retrying on insufficient_quota.");
    expect(within(row).queryByTestId("chain-caller")).toBeNull();
  });

  it("says why a chain has no caller when its recording could never have one", () => {
    const { caller: _caller, ...uncalled } = SDK_LOOP;
    const firefox = { entry: entry({ url: SDK_LOOP.url, status: 429 }) } as SessionEntry;
    const chrome = {
      entry: { ...firefox.entry, _initiator: { type: "other" } },
    } as unknown as SessionEntry;
    const { unmount } = render(
      <FindingsView
        findings={ATTEMPTS}
        chains={[uncalled]}
        entryAt={() => firefox}
        ports={fakePorts()}
        onShowRequest={() => {}}
      />,
    );
    expect(screen.getByTestId("caller-unavailable").textContent).toContain("Chrome");
    unmount();
    // Near miss: a recording that has initiators but none for this request says nothing.
    render(
      <FindingsView
        findings={ATTEMPTS}
        chains={[uncalled]}
        entryAt={() => chrome}
        ports={fakePorts()}
        onShowRequest={() => {}}
      />,
    );
    expect(screen.queryByTestId("caller-unavailable")).toBeNull();
  });

  it("lists findings by rule alone when the report has no chains", () => {
    show(ATTEMPTS, undefined);
    expect(screen.queryByTestId("chain")).toBeNull();
    expect(screen.getAllByTestId("finding")).toHaveLength(3);
  });
});

describe("SessionCost", () => {
  it("says what the session's bad retries cost", () => {
    render(<SessionCost cost={{ wastedRequests: 1, wastedSeconds: 75 }} />);
    expect(screen.getByTestId("session-cost").textContent).toBe(
      "Bad retries cost: 1 request wasted, 1 min 15 s lost",
    );
  });

  it("says nothing when nothing was wasted, and something when only seconds were", () => {
    render(<SessionCost cost={{ wastedRequests: 0, wastedSeconds: 0 }} />);
    expect(screen.queryByTestId("session-cost")).toBeNull();
    render(<SessionCost cost={{ wastedRequests: 0, wastedSeconds: 0.4 }} />);
    expect(screen.getByTestId("session-cost").textContent).toBe(
      "Bad retries cost: 0 requests wasted, 400 ms lost",
    );
  });
});
