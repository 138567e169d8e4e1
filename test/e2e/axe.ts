import { createRequire } from "node:module";
import { expect } from "@playwright/test";
import type { ScenarioId } from "../../src/demo/scenarios.js";

/**
 * axe-core and a keyboard walk in the extension's own pages, the same steps in Chromium
 * (a11y.spec.ts) and Firefox (firefox-a11y.spec.ts): each browser's spec gives a way to evaluate
 * in a page or frame and to press Tab there; `AXE_SOURCE` is loaded, then `AXE_RUN` resolves to
 * the serious and critical violations as JSON text.
 */

/** axe-core's script, as its package ships it. */
export const AXE_SOURCE: string = (createRequire(import.meta.url)("axe-core") as { source: string })
  .source;

/** One serious or critical violation: the rule, where it is, and what axe says is wrong there. */
export interface AxeViolation {
  id: string;
  impact: "serious" | "critical";
  help: string;
  nodes: { target: string; summary: string }[];
}

/**
 * Evaluated where axe is loaded: runs every rule on the whole document and resolves to the
 * violations that are serious or critical, as JSON text (both browsers pass text back the same
 * way). WCAG 2.2 AA and best practices are what axe runs by default.
 */
export const AXE_RUN = `(async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  return JSON.stringify(bad.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.map((t) => (Array.isArray(t) ? t.join(" >>> ") : t)).join(" "),
      // The first reason of axe's list is enough to say what is wrong (a contrast's ratio, say).
      summary: (n.failureSummary ?? "").split("\\n").map((l) => l.trim()).filter(Boolean).slice(0, 2).join(" "),
    })),
  })));
})()`;

/** Whether axe is loaded in the page already (the source is big: it is sent once per page). */
export const AXE_LOADED = `typeof axe === "object" && typeof axe.run === "function"`;

/** The violations from `AXE_RUN`'s text. */
export function parseViolations(text: string): AxeViolation[] {
  return JSON.parse(text) as AxeViolation[];
}

/** One line per violating element: what a failing test prints. */
export function describeViolations(where: string, violations: readonly AxeViolation[]): string {
  if (violations.length === 0) return `${where}: no serious or critical violations`;
  const lines = violations.flatMap((v) =>
    v.nodes.map((n) => `  ${v.id} (${v.impact}) at ${n.target}: ${v.help}. ${n.summary}`),
  );
  return `${where}: ${violations.length} serious or critical axe rules fail\n${lines.join("\n")}`;
}

/** What a browser's spec gives to read a view's theme, run axe in it and walk it by keyboard. */
export interface AxeView {
  /** Evaluates `expression` in the view's page; resolves to its value (text, number, boolean). */
  evaluate<T>(expression: string): Promise<T>;
  /** Presses a key (`Tab`, `Shift+Tab`) in the view as a user does. */
  press(key: string): Promise<void>;
}

/** axe's serious and critical violations in `view`, axe loaded into it first if need be. */
export async function axeViolations(view: AxeView): Promise<AxeViolation[]> {
  if (!(await view.evaluate<boolean>(AXE_LOADED))) await view.evaluate(`${AXE_SOURCE};true`);
  return parseViolations(await view.evaluate<string>(AXE_RUN));
}

export type Theme = "light" | "dark";

/**
 * The relative luminance (0 black .. 1 white) of the page's background as drawn: the app root's,
 * else the body's or the document's where those are transparent. Evaluated in the view.
 */
export const BACKGROUND_LUMINANCE = `(() => {
  const colour = (e) => e ? getComputedStyle(e).backgroundColor : "";
  const transparent = (c) => c === "" || c === "transparent" || /rgba\\(.*,\\s*0\\)$/.test(c);
  const app = document.querySelector(".ratelens, .ratelens-page");
  const drawn = [app, document.body, document.documentElement].map(colour).find((c) => !transparent(c)) ?? "rgb(255, 255, 255)";
  const [r, g, b] = drawn.match(/[\\d.]+/g).slice(0, 3).map((v) => {
    const s = Number(v) / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
})()`;

/** Whether the view is drawn in `theme`: a light page's background is near white, a dark one's near black. */
export async function drawnIn(view: AxeView, theme: Theme): Promise<boolean> {
  const luminance = await view.evaluate<number>(BACKGROUND_LUMINANCE);
  return theme === "dark" ? luminance < 0.1 : luminance > 0.8;
}

/** What the shared steps need of a browser: its extension's views in one theme. */
export interface A11yBrowser {
  theme: Theme;
  /** Runs the demo scenario on the demo page and waits until it is done. */
  runScenario(): Promise<void>;
  /** The Ratelens panel in DevTools, shown. */
  panel(): Promise<AxeView>;
  /** The toolbar popup, opened on the demo page's tab. */
  popup(): Promise<AxeView & { close(): Promise<void> }>;
  /** The options page in a tab of its own. */
  options(): Promise<AxeView & { close(): Promise<void> }>;
}

/** The demo scenario the checks run: it gives the panel requests, a finding, budgets and hosts. */
export const A11Y_SCENARIO: ScenarioId = "retry-quota";

/** Clicks the element `selector` finds in the view, as a user's click does. */
function click(view: AxeView, selector: string): Promise<unknown> {
  return view.evaluate(`(() => {
    const target = document.querySelector(${JSON.stringify(selector)});
    if (target === null) throw new Error("nothing matches " + ${JSON.stringify(selector)});
    target.click();
    return true;
  })()`);
}

function count(view: AxeView, selector: string): Promise<number> {
  return view.evaluate(`document.querySelectorAll(${JSON.stringify(selector)}).length`);
}

/** A control a keyboard user reaches with Tab: enabled, shown, not taken out of the tab order. */
const TAB_STOPS = `button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]`;

/** Short name of an element for a failure message: its tag, test id or id, and its text. */
const DESCRIBE = `(e) => e.tagName.toLowerCase()
  + (e.dataset.testid ? "[data-testid=" + e.dataset.testid + "]" : e.id ? "#" + e.id : "")
  + ' "' + (e.getAttribute("aria-label") ?? e.labels?.[0]?.textContent ?? e.textContent ?? "").trim().slice(0, 40) + '"'`;

/**
 * Walks the view with Tab from its first control, as a keyboard user does, and returns what is
 * wrong: a control that shows no focus when reached (no outline, no ring), and a control never
 * reached. Composite widgets keep one stop (the selected tab, the list): the others are
 * `tabindex=-1` and not counted.
 */
async function keyboardWalk(view: AxeView, where: string): Promise<string[]> {
  const press = (key: string) => view.press(key);
  const stops = `[...document.querySelectorAll(${JSON.stringify(TAB_STOPS)})]
    .filter((e) => e.tabIndex >= 0 && e.getClientRects().length > 0 && !e.closest("[inert], [aria-hidden=true]"))`;
  const total = await view.evaluate<number>(`(() => {
    globalThis.ratelensWalk = { reached: new Set(), unseen: [] };
    ${stops}[0]?.focus();
    return ${stops}.length;
  })()`);
  // Back to the first control by keyboard, so that it shows focus as a keyboard user sees it
  // (a focus() call shows it only when the last input was a key).
  await press("Tab");
  await press("Shift+Tab");
  // Each press moves one stop; twice the count leaves room for the stops outside the view.
  for (let step = 0; step < total * 2 + 2; step++) {
    const inside = await view.evaluate<boolean>(`(() => {
      // Colours compared as a canvas writes them: "#1a73e8" and "rgb(26, 115, 232)" alike.
      const colour = (c) => {
        const context = document.createElement("canvas").getContext("2d");
        context.fillStyle = "transparent";
        context.fillStyle = c;
        return context.fillStyle;
      };
      const root = document.querySelector(".ratelens, .ratelens-page") ?? document.documentElement;
      const focus = colour(getComputedStyle(root).getPropertyValue("--focus").trim());
      // A chart's mark (SVG) shows it by stroking its shapes in the focus colour, which a mark of
      // the same kind without the focus does not (the chart's own colour may be the same).
      const strokes = (m) => [m, ...m.querySelectorAll("*")].map((n) => {
        const style = getComputedStyle(n);
        return colour(style.stroke) + " " + style.strokeWidth;
      });
      const stroked = (m) => {
        if (!(m instanceof SVGElement)) return false;
        const own = strokes(m);
        if (!own.some((s) => s.startsWith(focus + " "))) return false;
        const other = [...document.getElementsByClassName(m.classList[0] ?? "")].find((o) => o !== m);
        return other === undefined || strokes(other).join() !== own.join();
      };
      const e = document.activeElement;
      if (!e || e === document.body) return false;
      const walk = globalThis.ratelensWalk;
      if (walk.reached.has(e)) return false;
      walk.reached.add(e);
      // A list that keeps the focus shows it on its active row (aria-activedescendant).
      const active = e.getAttribute("aria-activedescendant");
      const style = getComputedStyle((active && document.getElementById(active)) || e);
      const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none"
        || stroked(e);
      if (!ring) walk.unseen.push((${DESCRIBE})(e));
      return true;
    })()`);
    if (!inside && step > 0) break;
    await press("Tab");
  }
  const { unseen, missed } = await view.evaluate<{ unseen: string[]; missed: string[] }>(`(() => {
    const walk = globalThis.ratelensWalk;
    const missed = ${stops}.filter((e) => !walk.reached.has(e)).map(${DESCRIBE});
    return { unseen: walk.unseen, missed };
  })()`);
  return [
    ...unseen.map((e) => `${where}: ${e} shows no focus when reached with Tab`),
    ...missed.map((e) => `${where}: ${e} is never reached with Tab`),
  ];
}

/** A view checked: drawn in the theme first (a light page checked twice would prove nothing). */
async function check(view: AxeView, where: string, theme: Theme): Promise<string[]> {
  await expect
    .poll(() => drawnIn(view, theme), { message: `${where} is drawn ${theme}` })
    .toBe(true);
  const violations = await axeViolations(view);
  return [
    ...(violations.length === 0 ? [] : [describeViolations(where, violations)]),
    ...(await keyboardWalk(view, where)),
  ];
}

/**
 * Every view in one theme, with data in it: the panel's every tab (as its tab list has them, so
 * that a tab added later is checked too) with the first request's detail pane open, the popup with
 * the scenario's host card, the options page. Fails with every violation of every view at once.
 */
export async function checkEveryView(browser: A11yBrowser): Promise<void> {
  const { theme } = browser;
  const failures: string[] = [];
  await browser.runScenario();

  const panel = await browser.panel();
  await expect
    .poll(() => count(panel, "[data-testid=request-row]"), { message: "the panel's requests" })
    .toBeGreaterThan(0);
  const themed = await panel.evaluate<boolean>(
    `document.querySelector(".ratelens").classList.contains(${JSON.stringify(`theme-${theme}`)})`,
  );
  expect(themed, `the panel follows DevTools' ${theme} theme`).toBe(true);
  const tabs = await panel.evaluate<string[]>(
    `[...document.querySelectorAll("[role=tab]")].map((t) => t.id)`,
  );
  expect(tabs.length, "the panel's tabs").toBeGreaterThanOrEqual(4);
  for (const tab of tabs) {
    await click(panel, `#${tab}`);
    await expect
      .poll(() => count(panel, `#${tab}[aria-selected=true]`), { message: `${tab} selected` })
      .toBe(1);
    if (tab === "tab-requests") {
      await click(panel, "[data-testid=request-row]");
      await expect
        .poll(() => count(panel, "[data-testid=detail]"), { message: "the detail pane" })
        .toBe(1);
    }
    failures.push(...(await check(panel, `panel, ${tab}, ${theme}`, theme)));
  }

  const popup = await browser.popup();
  try {
    await expect
      .poll(() => count(popup, "[data-testid=popup-host]"), { message: "the popup's host card" })
      .toBeGreaterThan(0);
    failures.push(...(await check(popup, `popup, ${theme}`, theme)));
  } finally {
    await popup.close();
  }

  const options = await browser.options();
  try {
    await expect
      .poll(() => count(options, "[data-testid=options-default-host]"), {
        message: "the options page",
      })
      .toBeGreaterThan(0);
    failures.push(...(await check(options, `options page, ${theme}`, theme)));
  } finally {
    await options.close();
  }

  expect(failures, failures.join("\n")).toEqual([]);
}
