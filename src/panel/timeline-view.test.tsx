// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, har, T0 } from "../../test/support/har.js";
import { renderPanel, rows } from "../../test/support/panel-test-kit.js";
import { ok, postJob, rateLimitError, rateLimited } from "../../test/support/traffic.js";
import { formatClock } from "../core/clock-time.js";
import { Session } from "../core/session.js";
import { TimelineBuilder, type TimelineEntry } from "../core/timeline/timeline.js";
import type { HarEntry } from "../core/types.js";
import { shades, TimelineView, timelineOf } from "./components/timeline-view.js";

afterEach(cleanup);

/** A client that retries a 429 after 1 s while its Retry-After said 30 s, then gets a 2xx. */
const IMPATIENT = [
  call({ at: 0, ...postJob, status: 429, headers: rateLimited(30, 60), json: rateLimitError }),
  call({ at: 1, ...postJob, status: 429, headers: rateLimited(29, 60), json: rateLimitError }),
  call({ at: 2, ...postJob, status: 200, json: ok }),
];

function session(entries: HarEntry[] = IMPATIENT): Session {
  const s = new Session();
  s.import({ entries });
  return s;
}

function show(s: Session = session()) {
  const onShowRequest = vi.fn<(index: number) => void>();
  render(
    <TimelineView
      timeline={timelineOf(s)}
      windows={(host) => s.windows(host)}
      onShowRequest={onShowRequest}
    />,
  );
  return onShowRequest;
}

function range(): { from: number; until: number } {
  const timeline = screen.getByTestId("timeline");
  return { from: Number(timeline.dataset.from), until: Number(timeline.dataset.until) };
}

function mark(index: number): HTMLElement {
  const found = screen
    .getAllByTestId("timeline-mark")
    .find((m) => m.getAttribute("data-index") === String(index));
  if (found === undefined) throw new Error(`no mark ${index}`);
  return found;
}

describe("TimelineView", () => {
  it("draws the chain's attempts by status, its rule, its wasted attempt and the Retry-After window", () => {
    show();
    const lane = screen.getByTestId("timeline-lane");
    expect(lane.dataset.kind).toBe("chain");
    expect(within(lane).getByTestId("timeline-rule").textContent).toBe("retry-after-ignored");
    expect(lane.textContent).toContain("POST api.casola.ai/v1/jobs");
    const marks = within(lane).getAllByTestId("timeline-mark");
    expect(marks.map((m) => m.getAttribute("data-status"))).toEqual(["429", "429", "200"]);
    expect(marks.map((m) => m.getAttribute("data-wasted"))).toEqual([null, "true", null]);
    // Shape as well as colour: a diamond for a 429, a circle for a 2xx.
    expect(marks[0]?.querySelector("path.tl-glyph")).not.toBeNull();
    expect(marks[2]?.querySelector("circle.tl-glyph")).not.toBeNull();
    expect(marks[1]?.querySelector(".tl-wasted")).not.toBeNull();
    const windows = within(lane).getAllByTestId("timeline-window");
    expect(windows.map((w) => w.getAttribute("data-kind"))).toContain("retry-after");
  });

  it("names each mark with its time, the wait and the wait the server asked for", () => {
    show();
    expect(mark(1).getAttribute("aria-label")).toBe(
      `429 at ${formatClock(T0 + 1000)}, waited 900 ms, server asked 30 s, its response asks to wait 29 s, wasted`,
    );
    expect(mark(0).getAttribute("aria-label")).toBe(
      `429 at ${formatClock(T0)}, its response asks to wait 30 s`,
    );
    // Hover and focus show the same in a tip.
    fireEvent.focus(mark(1));
    expect(screen.getByTestId("timeline-tip").textContent).toContain("server asked 30 s");
    fireEvent.blur(mark(1));
    expect(screen.queryByTestId("timeline-tip")).toBeNull();
    fireEvent.mouseEnter(mark(2));
    expect(screen.getByTestId("timeline-tip").textContent).toBe(
      `200 at ${formatClock(T0 + 2000)}, waited 900 ms, server asked 29 s`,
    );
  });

  it("selects the request of a mark clicked, or Entered", () => {
    const onShowRequest = show();
    fireEvent.click(mark(1));
    expect(onShowRequest).toHaveBeenLastCalledWith(1);
    fireEvent.keyDown(mark(2), { key: "Enter" });
    expect(onShowRequest).toHaveBeenLastCalledWith(2);
  });

  it("zooms with + and -, pans with the arrow keys and resets with 0 or Home", () => {
    show();
    const plot = screen.getByTestId("timeline-plot");
    const whole = range();
    fireEvent.keyDown(plot, { key: "+" });
    const zoomedIn = range();
    expect(zoomedIn.until - zoomedIn.from).toBeCloseTo((whole.until - whole.from) / 1.5, -1);
    fireEvent.keyDown(plot, { key: "ArrowRight" });
    const right = range();
    expect(right.from).toBeGreaterThan(zoomedIn.from);
    expect(right.until - right.from).toBeCloseTo(zoomedIn.until - zoomedIn.from, -1);
    fireEvent.keyDown(plot, { key: "ArrowLeft" });
    fireEvent.keyDown(plot, { key: "ArrowLeft" });
    expect(range().from).toBeLessThan(right.from);
    fireEvent.keyDown(plot, { key: "-" });
    fireEvent.keyDown(plot, { key: "0" });
    expect(range()).toEqual(whole);
    fireEvent.keyDown(plot, { key: "+" });
    fireEvent.keyDown(plot, { key: "Home" });
    expect(range()).toEqual(whole);
    // The keys are written beside the plot.
    expect(screen.getByTestId("timeline-hint").textContent).toMatch(/\+ \/ − zoom.*0 or Home/);
  });

  it("zooms about the pointer with the wheel, and pans by drag", () => {
    const onShowRequest = show();
    const plot = screen.getByTestId("timeline-plot");
    const whole = range();
    // happy-dom's WheelEvent takes no pointer position: it is set as a browser sets it.
    const wheel = new WheelEvent("wheel", { deltaY: -200, bubbles: true, cancelable: true });
    Object.defineProperty(wheel, "clientX", { value: 260 + 10 });
    fireEvent(plot, wheel);
    const zoomedIn = range();
    expect(zoomedIn.until - zoomedIn.from).toBeLessThan(whole.until - whole.from);
    // The pointer sat near the left edge: the left edge barely moved.
    expect(zoomedIn.from - whole.from).toBeLessThan((whole.until - whole.from) * 0.02);
    fireEvent.pointerDown(plot, { button: 0, clientX: 600 });
    fireEvent.pointerMove(plot, { clientX: 500, buttons: 1 });
    fireEvent.pointerUp(plot, { clientX: 500 });
    const dragged = range();
    expect(dragged.from).toBeGreaterThan(zoomedIn.from);
    // The click that ends the drag selects nothing; the next one does.
    fireEvent.click(mark(1));
    expect(onShowRequest).not.toHaveBeenCalled();
    fireEvent.click(mark(1));
    expect(onShowRequest).toHaveBeenCalledWith(1);
    // A move without the button pressed pans nothing.
    fireEvent.pointerMove(plot, { clientX: 100, buttons: 0 });
    expect(range()).toEqual(dragged);
  });

  it("draws only the lanes in view and groups marks too close to tell apart: 10,000 requests", () => {
    const entries: TimelineEntry[] = [];
    for (let i = 0; i < 10_000; i++) {
      const retry = i % 10 === 1;
      entries.push({
        index: i,
        analysis: {
          host: i % 3 === 0 ? "api.casola.ai" : "api.cuadra.ai",
          summary: {
            index: i,
            startedDateTime: new Date(T0 + i * 100).toISOString(),
            method: "GET",
            url: `https://api.example/${retry ? i - 1 : i}`,
            status: i % 10 === 0 ? 429 : 200,
            error: null,
          },
          findings: [],
          start: T0 + i * 100,
          end: T0 + i * 100 + 40,
          ...(retry ? { retryOf: i - 1, retryWaitMs: 60 } : {}),
        },
      });
    }
    const timeline = new TimelineBuilder().update(entries, []);
    expect(timeline.lanes).toHaveLength(2 + 1000);
    const onShowRequest = vi.fn<(index: number) => void>();
    render(<TimelineView timeline={timeline} windows={() => []} onShowRequest={onShowRequest} />);
    const lanes = screen.getAllByTestId("timeline-lane");
    expect(lanes.length).toBeLessThan(60);
    const drawn =
      screen.queryAllByTestId("timeline-mark").length +
      screen.queryAllByTestId("timeline-group").length;
    expect(drawn).toBeLessThan(lanes.length * 110);
    // A group zooms in on its requests, each then drawn on its own.
    const whole = range();
    const group = screen.getAllByTestId("timeline-group")[0] as HTMLElement;
    const count = Number(group.dataset.count);
    const key = group.closest("li")?.getAttribute("data-key");
    expect(group.getAttribute("aria-label")).toMatch(new RegExp(`^${count} requests from `));
    fireEvent.keyDown(group, { key: "Enter" });
    expect(onShowRequest).not.toHaveBeenCalled();
    const shown = range();
    expect(shown.until - shown.from).toBeLessThan((whole.until - whole.from) / 50);
    const lane = screen
      .getAllByTestId("timeline-lane")
      .find((l) => l.getAttribute("data-key") === key) as HTMLElement;
    expect(within(lane).queryAllByTestId("timeline-mark").length).toBeGreaterThanOrEqual(count);
    expect(within(lane).queryAllByTestId("timeline-group")).toHaveLength(0);
  });

  it("runs together the windows of a kind that touch at this zoom", () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({
      kind: "retry-after" as const,
      host: "api.casola.ai",
      from: T0 + i * 1000,
      until: T0 + i * 1000 + 2000,
    }));
    const zero = { kind: "zero-budget" as const, host: "api.casola.ai", meter: "requests" };
    const all = [...many, { ...zero, from: T0 + 10_000, until: T0 + 11_000 }];
    const range = { from: T0, until: T0 + 2_000_000 };
    const x = (at: number) => ((at - range.from) / 2_000_000) * 720;
    const drawn = shades(all, range, x, 720);
    expect(drawn.map((s) => s.kind)).toEqual(["zero-budget", "retry-after"]);
    expect(drawn[1]?.title).toMatch(/^Retry-After \(2000 windows\): /);
    // Zoomed in on ten seconds, each window apart from its neighbour is its own span.
    const near = { from: T0, until: T0 + 10_000 };
    const xNear = (at: number) => ((at - near.from) / 10_000) * 720;
    const apart = [
      { ...zero, from: T0, until: T0 + 1000 },
      { ...zero, from: T0 + 5000, until: T0 + 6000 },
    ];
    expect(shades(apart, near, xNear, 720).map((s) => [s.x0, s.x1])).toEqual([
      [0, 72],
      [360, 432],
    ]);
  });

  it("says so when there are no requests", () => {
    show(new Session());
    expect(screen.getByTestId("timeline").textContent).toContain("No requests yet");
  });
});

describe("the Timeline tab", () => {
  it("sits after Requests, and a click on a mark selects the request in Requests", async () => {
    const { store } = renderPanel();
    const result = store.importHar("impatient.har", JSON.stringify(har(IMPATIENT)));
    expect(result.ok).toBe(true);
    await waitFor(() => expect(rows()).toHaveLength(3));
    expect(screen.getAllByRole("tab").map((t) => t.textContent?.replace(/\d+$/, ""))).toEqual([
      "Requests",
      "Timeline",
      "Findings",
      "Budget",
      "Hosts",
    ]);
    fireEvent.click(screen.getByTestId("tab-timeline"));
    fireEvent.click(mark(1));
    expect(screen.getByTestId("tab-requests").getAttribute("aria-selected")).toBe("true");
    const selected = rows().find((r) => r.getAttribute("aria-selected") === "true");
    expect(selected?.dataset.index).toBe("1");
  });
});

describe("a zoom gesture", () => {
  afterEach(() => vi.useRealTimers());

  it("stretches each lane's marks with one transform while it lasts, then groups them for the new zoom", () => {
    vi.useFakeTimers();
    // A request every 100 ms for 60 s: at the whole session's zoom, neighbours share a group.
    const entries: TimelineEntry[] = Array.from({ length: 600 }, (_, i) => ({
      index: i,
      analysis: {
        host: "api.cuadra.ai",
        summary: {
          index: i,
          startedDateTime: new Date(T0 + i * 100).toISOString(),
          method: "GET",
          url: `https://api.cuadra.ai/v1/models?page=${i}`,
          status: 200,
          error: null,
        },
        findings: [],
        start: T0 + i * 100,
        end: T0 + i * 100 + 40,
      },
    }));
    const timeline = new TimelineBuilder().update(entries, []);
    render(<TimelineView timeline={timeline} windows={() => []} onShowRequest={() => {}} />);
    const plot = screen.getByTestId("timeline-plot");
    const scale = () => {
      const transform = screen
        .getByTestId("timeline-lane")
        .querySelector("svg > g")
        ?.getAttribute("transform");
      return Number(/scale\(([\d.]+),1\)$/.exec(transform ?? "")?.[1]);
    };
    const before = screen.getAllByTestId("timeline-group");
    expect(scale()).toBe(1);
    fireEvent.keyDown(plot, { key: "+" });
    fireEvent.keyDown(plot, { key: "+" });
    // The same groups, on the grid they were laid out on, stretched 2.25 times.
    expect(scale()).toBeCloseTo(2.25, 5);
    const during = screen.getAllByTestId("timeline-group");
    expect(during.every((group) => before.includes(group))).toBe(true);
    act(() => {
      vi.advanceTimersByTime(250);
    });
    expect(scale()).toBe(1);
    const after = screen.queryAllByTestId("timeline-group");
    const single = screen.queryAllByTestId("timeline-mark");
    // Grouped again for 2.25 times the zoom: fewer requests a group, more drawn apart.
    const perGroup = (groups: HTMLElement[]) =>
      groups.reduce((n, g) => n + Number(g.dataset.count), 0) / Math.max(1, groups.length);
    expect(perGroup(after)).toBeLessThan(perGroup(during));
    expect(after.length + single.length).toBeGreaterThan(during.length);
  });
});
