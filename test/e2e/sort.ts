import { expect } from "@playwright/test";
import { CASOLA, CUADRA, casolaError, entry, har, T0 } from "../support/har.js";

/**
 * The request list's sort through the real panel, the same steps in Chromium (sort.spec.ts) and
 * Firefox (firefox-sort.spec.ts): a recording whose file lists its requests out of start order
 * (a retry before the request it retried, as DevTools' log has them when the later one finishes
 * first) is imported; the list shows it by start time, a click on the Status header sorts by
 * status, a second click reverses it, and the Time header, operated by the keyboard, sorts by
 * time again. Each browser's spec supplies a `SortBrowser`.
 */

const quota = JSON.stringify(casolaError("quota_exceeded"));

/** Index in the file: 0 is the retry of 2's 429, and 1 started before it. */
export const OUT_OF_ORDER_HAR = JSON.stringify(
  har([
    entry({
      url: `${CASOLA}/jobs`,
      method: "POST",
      status: 429,
      body: quota,
      startedDateTime: T0 + 300,
    }),
    entry({ url: `${CUADRA}/usage`, status: 200, startedDateTime: T0 + 200 }),
    entry({
      url: `${CASOLA}/jobs`,
      method: "POST",
      status: 429,
      body: quota,
      startedDateTime: T0,
    }),
    entry({ url: `${CASOLA}/models`, status: 200, startedDateTime: T0 + 100 }),
    entry({ url: `${CUADRA}/chat`, method: "POST", status: 500, startedDateTime: T0 + 400 }),
  ]),
);

export const OUT_OF_ORDER_NAME = "out-of-order.har";

/** The rows by start time; by status (200s, 429s, the 500, ties by start time); reversed. */
export const BY_START = ["2", "3", "1", "0", "4"];
export const BY_STATUS = ["3", "1", "2", "0", "4"];
export const BY_STATUS_DESCENDING = ["4", "2", "0", "3", "1"];

export const ROWS = "[data-testid=request-row]";

/** The header button that sorts by `column`. */
export function header(column: string): string {
  return `[data-testid=sort-button][data-column=${column}]`;
}

export interface SortBrowser {
  /** Imports `text` as a HAR file named `name` through the panel's file input. */
  importHar(name: string, text: string): Promise<void>;
  /** The value of attribute `name` of every element matching `selector`, in document order. */
  attributes(selector: string, name: string): Promise<(string | null)[]>;
  /** Clicks the element matching `selector`, as a user does. */
  click(selector: string): Promise<void>;
  /** Focuses the element matching `selector` and presses `key` (a key name such as "Enter"). */
  press(selector: string, key: string): Promise<void>;
}

/** Each row's session index, top to bottom. */
function shown(browser: SortBrowser): Promise<(string | null)[]> {
  return browser.attributes(ROWS, "data-index");
}

async function label(browser: SortBrowser, column: string): Promise<string | null> {
  return (await browser.attributes(header(column), "aria-label"))[0] ?? null;
}

export async function runSort(browser: SortBrowser): Promise<void> {
  await browser.importHar(OUT_OF_ORDER_NAME, OUT_OF_ORDER_HAR);
  await expect
    .poll(() => shown(browser), { message: "the import, by start time" })
    .toEqual(BY_START);
  expect(await label(browser, "time")).toBe("Time, sorted ascending");

  await browser.click(header("status"));
  await expect.poll(() => shown(browser), { message: "by status" }).toEqual(BY_STATUS);
  expect(await label(browser, "status")).toBe("Status, sorted ascending");
  expect(await label(browser, "time")).toBe("Time");

  await browser.click(header("status"));
  await expect
    .poll(() => shown(browser), { message: "by status, reversed" })
    .toEqual(BY_STATUS_DESCENDING);
  expect(await label(browser, "status")).toBe("Status, sorted descending");

  // A header is a button: Enter on the focused Time header sorts by time again.
  await browser.press(header("time"), "Enter");
  await expect.poll(() => shown(browser), { message: "by time, by keyboard" }).toEqual(BY_START);
  expect(await label(browser, "time")).toBe("Time, sorted ascending");
  await browser.press(header("time"), " ");
  await expect
    .poll(() => shown(browser), { message: "by time, reversed by keyboard" })
    .toEqual([...BY_START].reverse());
  expect(await label(browser, "time")).toBe("Time, sorted descending");

  // Once more turns it back: the list as a user first finds it, for whatever the panel shows next.
  await browser.click(header("time"));
  await expect.poll(() => shown(browser), { message: "by time again" }).toEqual(BY_START);
}
