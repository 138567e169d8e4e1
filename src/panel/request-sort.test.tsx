// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, test } from "vitest";
import { CASOLA, CUADRA, casolaError, entry, har, T0 } from "../../test/support/har.js";
import { renderPanel, row, rows, shownIndices } from "../../test/support/panel-test-kit.js";

afterEach(cleanup);

const quota = JSON.stringify(casolaError("quota_exceeded"));

/**
 * A recording whose file lists its requests out of start order, as DevTools' log does when a
 * later request finishes first: index 0 is the retry of index 2's 429.
 */
const OUT_OF_ORDER = JSON.stringify(
  har([
    entry({
      url: `${CASOLA}/jobs`,
      method: "POST",
      status: 429,
      body: quota,
      startedDateTime: T0 + 300,
      time: 40,
    }),
    entry({ url: `${CUADRA}/usage`, status: 200, startedDateTime: T0 + 200, time: 900 }),
    entry({
      url: `${CASOLA}/jobs`,
      method: "POST",
      status: 429,
      body: quota,
      startedDateTime: T0,
      time: 30,
    }),
    entry({ url: `${CASOLA}/models`, status: 200, startedDateTime: T0 + 100, time: 5 }),
    entry({ url: `${CUADRA}/chat`, method: "POST", status: 500, startedDateTime: T0 + 400 }),
  ]),
);

function listbox(): HTMLElement {
  return screen.getByRole("listbox", { name: "Requests" });
}

function header(name: RegExp): HTMLElement {
  return screen.getByRole("button", { name });
}

async function importOutOfOrder() {
  const rendered = renderPanel();
  const result = rendered.store.importHar("out-of-order.har", OUT_OF_ORDER);
  expect(result.ok).toBe(true);
  await waitFor(() => expect(rows()).toHaveLength(5));
  return rendered;
}

describe("the request list's sort", () => {
  test("lists requests by start time by default: a retry comes after the request it retried", async () => {
    await importOutOfOrder();
    expect(shownIndices()).toEqual([2, 3, 1, 0, 4]);
    expect(row(0).querySelectorAll("[data-testid=finding-tag]").length).toBeGreaterThan(0);
    expect(header(/^Time/).getAttribute("aria-label")).toBe("Time, sorted ascending");
    // The headers are buttons outside the listbox, which holds only the rows.
    expect(listbox().querySelectorAll("button")).toHaveLength(0);
    expect(screen.getByRole("group", { name: "Sort requests by" })).toBeTruthy();
    for (const name of ["Method", "Status", "Provider", "Code", "Path", "Duration", "Findings"]) {
      expect(screen.getByRole("button", { name }).tagName).toBe("BUTTON");
    }
  });

  test("a header sorts by its column, again reverses it, and says so", async () => {
    await importOutOfOrder();
    fireEvent.click(header(/^Status/));
    // 200s (by start time), the 429s, the 500.
    await waitFor(() => expect(shownIndices()).toEqual([3, 1, 2, 0, 4]));
    expect(header(/^Status/).getAttribute("aria-label")).toBe("Status, sorted ascending");
    expect(header(/^Time/).getAttribute("aria-label")).toBe("Time");
    expect(screen.getByTestId("sort-status").textContent).toBe("Sorted by Status, ascending");

    fireEvent.click(header(/^Status/));
    await waitFor(() => expect(shownIndices()).toEqual([4, 2, 0, 3, 1]));
    expect(header(/^Status/).getAttribute("aria-label")).toBe("Status, sorted descending");
    expect(screen.getByTestId("sort-status").textContent).toBe("Sorted by Status, descending");

    // Duration and findings start with the most.
    fireEvent.click(header(/^Duration/));
    await waitFor(() => expect(shownIndices()).toEqual([1, 4, 0, 2, 3]));
    expect(header(/^Duration/).getAttribute("aria-label")).toBe("Duration, sorted descending");

    fireEvent.click(header(/^Time/));
    await waitFor(() => expect(shownIndices()).toEqual([2, 3, 1, 0, 4]));
    fireEvent.click(header(/^Time/));
    await waitFor(() => expect(shownIndices()).toEqual([4, 0, 1, 3, 2]));
  });

  test("the selection stays on its request through a new sort, and the arrows follow the new order", async () => {
    await importOutOfOrder();
    fireEvent.click(row(1));
    await screen.findByTestId("detail");
    await waitFor(() => expect(row(1).getAttribute("aria-selected")).toBe("true"));

    fireEvent.click(header(/^Path/));
    // /v1/chat, /v1/jobs (2 then 0, by start), /v1/models, /v1/usage.
    await waitFor(() => expect(shownIndices()).toEqual([4, 2, 0, 3, 1]));
    expect(row(1).getAttribute("aria-selected")).toBe("true");
    expect(listbox().getAttribute("aria-activedescendant")).toBe("request-row-1");
    expect(screen.getByTestId("detail")).toBeTruthy();

    listbox().focus();
    fireEvent.keyDown(listbox(), { key: "ArrowUp" });
    await waitFor(() => expect(row(3).getAttribute("aria-selected")).toBe("true"));
    fireEvent.keyDown(listbox(), { key: "Home" });
    await waitFor(() => expect(row(4).getAttribute("aria-selected")).toBe("true"));
    fireEvent.keyDown(listbox(), { key: "ArrowDown" });
    await waitFor(() => expect(row(2).getAttribute("aria-selected")).toBe("true"));
    expect(listbox().getAttribute("aria-activedescendant")).toBe("request-row-2");
  });

  test("a filter keeps the sort", async () => {
    await importOutOfOrder();
    fireEvent.click(header(/^Status/));
    fireEvent.click(header(/^Status/));
    await waitFor(() => expect(shownIndices()).toEqual([4, 2, 0, 3, 1]));
    fireEvent.click(screen.getByRole("checkbox", { name: "Errors only" }));
    await waitFor(() => expect(shownIndices()).toEqual([4, 2, 0]));
  });
});
