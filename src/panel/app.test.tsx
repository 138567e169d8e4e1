// @vitest-environment happy-dom
import { cleanup, createEvent, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, test } from "vitest";
import { entry, T0 } from "../../test/support/har.js";
import {
  importSample,
  renderPanel,
  row,
  rows,
  SAMPLE_HAR,
  shownIndices,
} from "../../test/support/panel-test-kit.js";
import { PANEL_VERSION } from "./exports.js";

afterEach(cleanup);

function list(): HTMLElement {
  return screen.getByRole("listbox", { name: "Requests" });
}

function tagsOf(index: number): string[] {
  return within(row(index))
    .queryAllByTestId("finding-tag")
    .map((tag) => tag.textContent ?? "");
}

describe("request list", () => {
  test("shows a row for every API request of an imported HAR, errors standing out", async () => {
    const { store } = renderPanel();
    await importSample(store);
    expect(shownIndices()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(row(1).dataset.status).toBe("429");
    expect(row(1).dataset.code).toBe("rate_limit");
    expect(row(1).textContent).toContain("POST");
    expect(row(1).textContent).toContain("/v1/jobs");
    expect(row(1).classList.contains("row-error")).toBe(true);
    expect(row(0).classList.contains("row-error")).toBe(false);
    expect(row(6).dataset.code).toBe("internal_server_error");
  });

  test("shows a request without a status (null, left out or -1) as no response, an error", async () => {
    const { store } = renderPanel();
    const har = JSON.parse(SAMPLE_HAR);
    const entries = har.log.entries;
    entries[0].response.status = null;
    delete entries[1].response.status;
    entries[2].response.status = -1;
    const result = store.importHar("no-status.har", JSON.stringify(har));
    expect(result.ok).toBe(true);
    await waitFor(() => expect(rows()).toHaveLength(10));
    for (const index of [0, 1, 2]) {
      expect(row(index).dataset.status).toBe("0");
      expect(row(index).textContent).toContain("no response");
      expect(row(index).classList.contains("row-error")).toBe(true);
    }
  });

  test("marks each request with the findings it offends", async () => {
    const { store } = renderPanel();
    await importSample(store);
    expect(tagsOf(2)).toEqual(["retry-after-ignored"]);
    expect(tagsOf(3)).toEqual(["rate-limit-exhausted"]);
    expect(tagsOf(5)).toEqual(["retry-non-retryable"]);
    expect(tagsOf(8)).toEqual(["no-backoff", "retry-without-idempotency-key"]);
    expect(tagsOf(9)).toEqual(["contract-breach"]);
    expect(tagsOf(0)).toEqual([]);
    expect(tagsOf(1)).toEqual([]);
  });

  test("filters by errors, by findings, by host and by text in the URL, code or body", async () => {
    const { store } = renderPanel();
    await importSample(store);

    fireEvent.click(screen.getByRole("checkbox", { name: "Errors only" }));
    await waitFor(() => expect(shownIndices()).toEqual([1, 2, 4, 5, 6, 7, 9]));
    fireEvent.click(screen.getByRole("checkbox", { name: "Errors only" }));

    fireEvent.click(screen.getByRole("checkbox", { name: "Flagged only" }));
    await waitFor(() => expect(shownIndices()).toEqual([2, 3, 5, 7, 8, 9]));
    fireEvent.click(screen.getByRole("checkbox", { name: "Flagged only" }));

    fireEvent.change(screen.getByRole("combobox", { name: "Host" }), {
      target: { value: "api.cuadra.ai" },
    });
    await waitFor(() => expect(shownIndices()).toEqual([6, 7, 8, 9]));
    fireEvent.change(screen.getByRole("combobox", { name: "Host" }), { target: { value: "" } });

    const search = screen.getByRole("searchbox", { name: /Filter requests/ });
    fireEvent.input(search, { target: { value: "QUOTA" } });
    await waitFor(() => expect(shownIndices()).toEqual([4, 5]));
    fireEvent.input(search, { target: { value: "/v1/usage" } });
    await waitFor(() => expect(shownIndices()).toEqual([9]));
    fireEvent.input(search, { target: { value: "internal_server_error" } });
    await waitFor(() => expect(shownIndices()).toEqual([6, 7]));
    expect(screen.getByText("2 of 10 requests")).toBeTruthy();
  });

  test("arrow keys move the selection through the filtered list and Enter opens the detail", async () => {
    const { store } = renderPanel();
    await importSample(store);
    fireEvent.click(screen.getByRole("checkbox", { name: "Errors only" }));
    await waitFor(() => expect(rows()).toHaveLength(7));

    list().focus();
    fireEvent.keyDown(list(), { key: "ArrowDown" });
    fireEvent.keyDown(list(), { key: "ArrowDown" });
    fireEvent.keyDown(list(), { key: "ArrowDown" });
    await waitFor(() => expect(row(4).getAttribute("aria-selected")).toBe("true"));
    fireEvent.keyDown(list(), { key: "ArrowUp" });
    await waitFor(() => expect(row(2).getAttribute("aria-selected")).toBe("true"));
    expect(list().getAttribute("aria-activedescendant")).toBe("request-row-2");
    expect(screen.queryByTestId("detail")).toBeNull();

    fireEvent.keyDown(list(), { key: "Enter" });
    const detail = await screen.findByTestId("detail");
    expect(within(detail).getByTestId("detail-code").textContent).toBe("rate_limit");

    // With the detail open, it follows the selection.
    fireEvent.keyDown(list(), { key: "ArrowDown" });
    await waitFor(() =>
      expect(screen.getByTestId("detail-code").textContent).toBe("quota_exceeded"),
    );
    fireEvent.keyDown(list(), { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("detail")).toBeNull());
  });
});

describe("long sessions", () => {
  test("past the bodies it keeps, the panel releases the oldest and says so", async () => {
    const { store } = renderPanel();
    store.configure({ ...store.settings, bodiesKept: 100 });
    for (let i = 0; i < 120; i++) {
      store.add(
        entry({
          url: `https://api.casola.ai/v1/models?n=${i}`,
          body: '{"models":[]}',
          startedDateTime: T0 + i * 10,
          headers: { "X-Request-Id": `req_${i}` },
        }),
        "live",
      );
    }
    const note = await screen.findByTestId("bodies-released");
    // Released a tenth of the cap at a time: at 111 entries, the 11 oldest.
    expect(note.textContent).toMatch(/oldest 11 requests were released/);
    expect(note.textContent).toMatch(/newest 100 keep theirs/);
    fireEvent.click(row(0));
    const detail = await screen.findByTestId("detail");
    expect(within(detail).getByTestId("body-released")).toBeTruthy();
    // The entry is released, so held packed: the row and the detail pane show it rebuilt.
    expect(store.session.entries[0]?.bodyReleased).toBe(true);
    expect(row(0).textContent).toContain("/v1/models");
    expect(within(detail).getByRole("rowheader", { name: "X-Request-Id" })).toBeTruthy();
    expect(detail.textContent).toContain("req_0");
    expect(detail.textContent).toContain("?n=0");
  });
});

describe("detail pane", () => {
  test("shows the decoded error, a retryable badge, the advice and the headers in words", async () => {
    const { store } = renderPanel();
    await importSample(store);
    fireEvent.click(within(row(1)).getByText("/v1/jobs"));
    const detail = await screen.findByTestId("detail");
    expect(within(detail).getByTestId("detail-code").textContent).toBe("rate_limit");
    expect(within(detail).getByTestId("retryable-badge").textContent).toBe("retryable");
    expect(within(detail).getByTestId("detail-advice").textContent).toMatch(
      /honor the Retry-After/,
    );
    expect(detail.textContent).toMatch(/Retry-After: 30 → wait 30 s, until \d\d:\d\d:\d\d/);
    expect(detail.textContent).toMatch(/X-RateLimit requests: 0 of 100 left, resets in 30 s/);
    expect(within(detail).getByRole("rowheader", { name: "retry-after" })).toBeTruthy();
    expect(detail.textContent).toContain('"Too many requests"');

    fireEvent.click(within(row(5)).getByText("/v1/jobs"));
    await waitFor(() =>
      expect(screen.getByTestId("retryable-badge").textContent).toBe("not retryable"),
    );
    expect(screen.getByTestId("detail-code").textContent).toBe("quota_exceeded");
  });

  test("a caller frame opens the script in Sources at its 1-based line and column", async () => {
    const { store, ports } = renderPanel();
    await importSample(store);
    fireEvent.click(within(row(1)).getByText("/v1/jobs"));
    const detail = await screen.findByTestId("detail");
    const links = within(detail).getAllByTestId("caller-link");
    expect(links[0]?.textContent).toBe("client.js:12:11");
    fireEvent.click(links[0] as HTMLElement);
    expect(ports.openResource).toHaveBeenCalledWith("http://127.0.0.1:5173/demo/client.js", 12, 11);
  });

  test("an HTML body with a script is shown as text and runs nothing", async () => {
    const { store } = renderPanel();
    const html =
      '<html><body><h1 id="injected">Bad gateway</h1><img src=x onerror="window.__pwned=1"><script>window.__pwned = 2</script></body></html>';
    store.add(entry({ status: 502, body: html, mimeType: "text/html" }), "live");
    await waitFor(() => expect(rows()).toHaveLength(1));
    fireEvent.click(row(0));
    const detail = await screen.findByTestId("detail");
    expect(detail.textContent).toContain("<script>window.__pwned = 2</script>");
    expect(document.querySelector("script")).toBeNull();
    expect(document.querySelector("img")).toBeNull();
    expect(document.getElementById("injected")).toBeNull();
    expect((window as { __pwned?: unknown }).__pwned).toBeUndefined();
    expect(within(detail).getByTestId("detail-code").textContent).toBe("HTTP 502");
  });

  test("explains validation details, credits, scope, contract breaches and unread bodies", async () => {
    const { store } = renderPanel();
    store.add(
      entry({
        status: 400,
        body: JSON.stringify({
          error: {
            code: "validation_error",
            message: "Invalid body",
            details: { issues: [{ field: "prompt", message: "is required" }] },
          },
        }),
      }),
      "live",
    );
    store.add(
      entry({
        url: "https://api.cuadra.ai/v1/chat",
        status: 402,
        startedDateTime: "2026-11-23T10:00:05.000Z",
        body: JSON.stringify({
          title: "Insufficient Credits",
          status: 402,
          detail: "Insufficient credits. Required: 75 credits. Available: 50 credits.",
        }),
      }),
      "live",
    );
    store.add(
      entry({
        url: "https://api.cuadra.ai/v1/chat",
        status: 403,
        startedDateTime: "2026-11-23T10:00:06.000Z",
        body: JSON.stringify({
          title: "Forbidden",
          status: 403,
          detail: "Missing required scope: chat:invoke",
        }),
      }),
      "live",
    );
    store.add(
      entry({ status: 429, startedDateTime: "2026-11-23T10:00:07.000Z", body: "" }),
      "unfinished",
    );
    await waitFor(() => expect(rows()).toHaveLength(4));

    fireEvent.click(row(0));
    let detail = await screen.findByTestId("detail");
    expect(detail.querySelector(".issues")?.textContent).toBe("prompt: is required");

    fireEvent.click(row(1));
    await waitFor(() =>
      expect(screen.getByTestId("detail-code").textContent).toBe("insufficient_credits"),
    );
    expect(screen.getByTestId("detail").textContent).toContain(
      "75 required, 50 available (25 short)",
    );

    fireEvent.click(row(2));
    await waitFor(() => expect(screen.getByTestId("detail-code").textContent).toBe("forbidden"));
    expect(screen.getByTestId("detail").textContent).toContain("Missing scopechat:invoke");

    fireEvent.click(row(3));
    detail = await screen.findByTestId("detail");
    await waitFor(() =>
      expect(detail.textContent).toContain(
        "body not read by the page (DevTools never finished this request)",
      ),
    );
    expect(detail.textContent).toContain("Deviations from the documented contract");
  });
});

describe("toolbar", () => {
  test("Preserve log is off by default and sets the store; Clear empties the list", async () => {
    const { store } = renderPanel();
    await importSample(store);
    const preserve = screen.getByRole("checkbox", { name: "Preserve log" }) as HTMLInputElement;
    expect(preserve.checked).toBe(false);
    fireEvent.click(preserve);
    expect(store.preserveLog).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Clear" }));
    await waitFor(() => expect(rows()).toHaveLength(0));
    expect(store.session.entries).toHaveLength(0);
  });

  test("exports a redacted HAR, the CLI's JSON report and Markdown through ports.save", async () => {
    const { store, ports } = renderPanel();
    const secret = "sk_live_9f8e7d6c5b4a";
    await importSample(store, SAMPLE_HAR.replaceAll("Bearer <redacted>", `Bearer ${secret}`));
    expect(JSON.stringify(store.session.entries[0]?.entry)).toContain(secret);

    fireEvent.click(screen.getByRole("button", { name: "HAR (redacted)" }));
    expect(ports.save).toHaveBeenCalledTimes(1);
    const [harName, harType, harText] = ports.save.mock.calls[0] ?? [];
    expect(harName).toBe("sample-session-ratelens.har");
    expect(harType).toBe("application/json");
    expect(harText).not.toContain(secret);
    const har = JSON.parse(harText ?? "");
    expect(har.log.entries).toHaveLength(10);
    expect(har.log.entries[0].request.headers[0].value).toContain("[redacted]");

    fireEvent.click(screen.getByRole("button", { name: "Findings JSON" }));
    const [jsonName, jsonType, jsonText] = ports.save.mock.calls[1] ?? [];
    expect(jsonName).toBe("sample-session-ratelens-findings.json");
    expect(jsonType).toBe("application/json");
    const report = JSON.parse(jsonText ?? "");
    expect(report.tool).toBe("ratelens");
    expect(report.version).toBe(PANEL_VERSION);
    expect(report.findings).toHaveLength(7);
    expect(jsonText).not.toContain(secret);

    fireEvent.click(screen.getByRole("button", { name: "Markdown" }));
    const [mdName, mdType, mdText] = ports.save.mock.calls[2] ?? [];
    expect(mdName).toBe("sample-session-ratelens.md");
    expect(mdType).toBe("text/markdown");
    expect(mdText).toContain("retry-after-ignored");
  });

  test("a malformed file shows a one-line error and keeps the session", async () => {
    const { store } = renderPanel();
    await importSample(store);
    const input = screen.getByLabelText("HAR file to import");
    const broken = new File(['{"log": {"entries": [tru'], "broken.har", {
      type: "application/json",
    });
    fireEvent.change(input, { target: { files: [broken] } });
    const error = await screen.findByTestId("import-error");
    expect(error.textContent).toMatch(/^Could not import broken\.har: not valid JSON/);
    expect(error.textContent).not.toContain("\n");
    expect(rows()).toHaveLength(10);
    expect(store.session.entries).toHaveLength(10);
    expect(screen.getByText("File: sample-session.har")).toBeTruthy();
  });

  test("a file is read as the CLI reads it: one byte-order mark dropped, a second one named", async () => {
    const { store } = renderPanel();
    const input = screen.getByLabelText("HAR file to import");
    const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
    const once = new File([bom, SAMPLE_HAR], "fiddler.har", { type: "application/json" });
    fireEvent.change(input, { target: { files: [once] } });
    await waitFor(() => expect(rows()).toHaveLength(10));
    const twice = new File([bom, bom, SAMPLE_HAR], "twice.har", { type: "application/json" });
    fireEvent.change(input, { target: { files: [twice] } });
    const error = await screen.findByTestId("import-error");
    expect(error.textContent).toMatch(/^Could not import twice\.har: not valid JSON .*<U\+FEFF>/);
    expect(error.textContent).not.toContain("\uFEFF");
    expect(store.session.entries).toHaveLength(10);
    const utf16 = new File(
      [new Uint8Array([0xff, 0xfe]), Buffer.from(SAMPLE_HAR, "utf16le")],
      "utf16.har",
    );
    fireEvent.change(input, { target: { files: [utf16] } });
    await waitFor(() =>
      expect(screen.getByTestId("import-error").textContent).toBe(
        "Could not import utf16.har: the file is UTF-16; save it as UTF-8",
      ),
    );
  });

  test("a HAR file dropped anywhere on the panel is imported", async () => {
    const { store, container } = renderPanel();
    const file = new File([SAMPLE_HAR], "dropped.har", { type: "application/json" });
    const root = container.firstElementChild as HTMLElement;
    // fireEvent.drop of @testing-library/preact fires "Drop" where happy-dom has no ondrop.
    fireEvent(root, createEvent.dragOver(root));
    expect(root.classList.contains("dragging")).toBe(true);
    fireEvent(root, createEvent.drop(root, { dataTransfer: { files: [file] } }));
    await waitFor(() => expect(rows()).toHaveLength(10));
    expect(store.source).toEqual({ kind: "file", name: "dropped.har" });
    expect(screen.getByRole("status").textContent).toBe("Imported dropped.har: 10 API requests.");
  });

  test("an import names each entry it skipped and why, in the panel", async () => {
    const { store } = renderPanel();
    const har = JSON.parse(SAMPLE_HAR);
    const entries = har.log.entries;
    // Index 2 loses its URL, index 5 its time; index 7 is not an entry at all.
    delete entries[2].request.url;
    entries[5].startedDateTime = "yesterday";
    entries[7] = "garbage";
    const file = new File([JSON.stringify(har)], "partly-broken.har", {
      type: "application/json",
    });
    fireEvent.change(screen.getByLabelText("HAR file to import"), { target: { files: [file] } });
    await waitFor(() => expect(rows()).toHaveLength(7));
    expect(store.session.entries.map((e) => e.index)).not.toContain(2);
    expect(screen.getByRole("status").textContent).toBe(
      "Imported partly-broken.har: 7 API requests. 3 entries skipped: index 2: has no request.url; index 5: has no valid startedDateTime; index 7: is not an object.",
    );
  });

  test("follows DevTools' dark theme", () => {
    const { container } = renderPanel({ theme: "dark" });
    expect(container.firstElementChild?.classList.contains("theme-dark")).toBe(true);
  });
});

describe("view tabs", () => {
  test("the view tabs are one Tab stop: arrows, Home and End select a tab and take the focus to it", () => {
    renderPanel();
    const tab = (name: RegExp) => screen.getByRole("tab", { name });
    const requests = tab(/^Requests/);
    requests.focus();
    fireEvent.keyDown(requests, { key: "ArrowRight" });
    expect(tab(/^Timeline/).getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(tab(/^Timeline/));
    fireEvent.keyDown(document.activeElement as Element, { key: "End" });
    const last = screen.getAllByRole("tab").at(-1) as HTMLElement;
    expect(last.getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(last);
    fireEvent.keyDown(last, { key: "ArrowRight" });
    expect(document.activeElement).toBe(tab(/^Requests/));
    fireEvent.keyDown(document.activeElement as Element, { key: "ArrowLeft" });
    expect(document.activeElement).toBe(last);
    fireEvent.keyDown(last, { key: "Home" });
    expect(document.activeElement).toBe(tab(/^Requests/));
    expect(screen.getAllByRole("tab").map((t) => t.tabIndex)).toEqual(
      screen.getAllByRole("tab").map((t) => (t === document.activeElement ? 0 : -1)),
    );
  });
});
