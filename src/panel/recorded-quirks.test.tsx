// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, test } from "vitest";
import { entry, har } from "../../test/support/har.js";
import { renderPanel, row, rows, shownIndices } from "../../test/support/panel-test-kit.js";
import { formatClock } from "../core/clock-time.js";
import type { HarEntry } from "../core/types.js";

afterEach(cleanup);

/** A request Playwright's recordHar saw fail: no response, `status: -1`, `_failureText`. */
function noResponse(options: Parameters<typeof entry>[0]): HarEntry {
  const failed = entry(options);
  failed.response = {
    ...failed.response,
    status: -1,
    statusText: "",
    _failureText: "net::ERR_CONNECTION_REFUSED",
  } as HarEntry["response"];
  return failed;
}

/**
 * A Playwright-style recording with an old exporter's times: a POST to Cuadra that got no
 * response (`-1`) at `10:0:5.5Z` (unpadded), retried without an Idempotency-Key at
 * `11:00:07,25+01` (a comma fraction and a `+01` zone); then one host that is no API host whose
 * errors are read by two different decoders (HTML from a proxy, problem details).
 */
function playwrightHar(): string {
  return JSON.stringify(
    har([
      noResponse({
        url: "https://api.cuadra.ai/v1/chat",
        method: "POST",
        postData: "{}",
        startedDateTime: "2026-11-23T10:0:5.5Z",
        time: 40,
      }),
      entry({
        url: "https://api.cuadra.ai/v1/chat",
        method: "POST",
        postData: "{}",
        startedDateTime: "2026-11-23T11:00:07,25+01",
        status: 201,
      }),
      entry({
        url: "https://gateway.example.com/a",
        startedDateTime: "2026-11-23T10:00:08Z",
        status: 502,
        body: "<html><body>Bad gateway</body></html>",
      }),
      entry({
        url: "https://gateway.example.com/b",
        startedDateTime: "2026-11-23T10:00:09Z",
        status: 400,
        mimeType: "application/problem+json",
        body: JSON.stringify({ type: "https://e.x/bad", title: "Bad", status: 400 }),
      }),
      entry({ url: "https://gateway.example.com/c", startedDateTime: "2026-11-23T10:00:10Z" }),
    ]),
  );
}

async function importPlaywright() {
  const rendered = renderPanel();
  expect(rendered.store.importHar("playwright.har", playwrightHar()).ok).toBe(true);
  await waitFor(() => expect(rows()).toHaveLength(5));
  return rendered;
}

function cell(index: number, name: string): string {
  return row(index).querySelector(`.c-${name}`)?.textContent ?? "";
}

describe("a Playwright recording with unpadded times", () => {
  test("a request without a response (-1) reads as no response, marked as an error", async () => {
    await importPlaywright();
    expect(cell(0, "status")).toBe("no response");
    expect(row(0).dataset.status).toBe("0");
    expect(row(0).classList.contains("row-error")).toBe(true);
    expect(row(1).classList.contains("row-error")).toBe(false);
  });

  test("the errors-only filter keeps it", async () => {
    await importPlaywright();
    fireEvent.click(screen.getByRole("checkbox", { name: "Errors only" }));
    await waitFor(() => expect(shownIndices()).toEqual([0, 2, 3]));
  });

  test("times are read as the analysis reads them: unpadded, a comma fraction, a +01 zone", async () => {
    await importPlaywright();
    expect(cell(0, "time")).toBe(formatClock(Date.UTC(2026, 10, 23, 10, 0, 5, 500)));
    expect(cell(1, "time")).toBe(formatClock(Date.UTC(2026, 10, 23, 10, 0, 7, 250)));
  });

  test("each host has one provider label, whichever decoder read its bodies", async () => {
    await importPlaywright();
    expect([0, 1].map((i) => cell(i, "provider"))).toEqual(["cuadra", "cuadra"]);
    expect([2, 3, 4].map((i) => cell(i, "provider"))).toEqual(["other", "other", "other"]);
  });

  test("the finding's chain and the detail say the request got no response", async () => {
    await importPlaywright();
    fireEvent.click(screen.getByTestId("tab-findings"));
    const group = await screen.findByRole("region", { name: "retry-without-idempotency-key" });
    expect(
      within(group)
        .getAllByTestId("chain-link")
        .map((c) => c.textContent),
    ).toEqual(["#0 POST /v1/chat no response", "#1 POST /v1/chat 201"]);
    fireEvent.click(within(group).getAllByTestId("chain-link")[0] as HTMLElement);
    const detail = await screen.findByTestId("detail");
    const status = detail.querySelector(".detail-meta .status");
    expect(status?.textContent).toBe("no response");
    expect(status?.classList.contains("status-error")).toBe(true);
  });
});
