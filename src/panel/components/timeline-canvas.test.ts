import { describe, expect, it } from "vitest";
import { drawLane, type LaneColours, type LaneContext, type LaneScene } from "./timeline-canvas.js";

const COLOURS: LaneColours = {
  ok: "green",
  warning: "orange",
  info: "blue",
  error: "red",
  muted: "grey",
  fg: "black",
  bg: "white",
  warningBg: "lightyellow",
  errorBg: "pink",
};

/** A 2D context that keeps each path as it is filled or stroked, with the style it is drawn in. */
function recorder() {
  const drawn: { op: "fill" | "stroke"; style: string; dash: number[]; path: string[] }[] = [];
  let path: string[] = [];
  let dash: number[] = [];
  const ctx: LaneContext = {
    fillStyle: "",
    strokeStyle: "",
    lineWidth: 1,
    globalAlpha: 1,
    beginPath: () => {
      path = [];
    },
    moveTo: (x, y) => path.push(`M${x},${y}`),
    lineTo: (x, y) => path.push(`L${x},${y}`),
    closePath: () => path.push("Z"),
    arc: (x, y, r) => path.push(`A${x},${y},${r}`),
    rect: (x, y, w, h) => path.push(`R${x},${y},${w},${h}`),
    roundRect: (x, y, w, h) => path.push(`RR${x},${y},${w},${h}`),
    fill: () => drawn.push({ op: "fill", style: String(ctx.fillStyle), dash, path: [...path] }),
    stroke: () =>
      drawn.push({ op: "stroke", style: String(ctx.strokeStyle), dash, path: [...path] }),
    fillRect: (x, y, w, h) =>
      drawn.push({
        op: "fill",
        style: String(ctx.fillStyle),
        dash,
        path: [`R${x},${y},${w},${h}`],
      }),
    clearRect: () => {},
    setLineDash: (segments) => {
      dash = [...segments];
    },
    setTransform: () => {},
  } as LaneContext;
  return { ctx, drawn };
}

const scene = (over: Partial<LaneScene>): LaneScene => ({
  height: 28,
  width: 400,
  scale: 1,
  offset: 0,
  shades: [],
  marks: [],
  ...over,
});

describe("drawLane", () => {
  it("draws each status in its colour and shape: circle 2xx, diamond 429, square 4xx, triangle 5xx, cross none", () => {
    const { ctx, drawn } = recorder();
    const kinds = ["success", "429", "4xx", "5xx", "none"] as const;
    drawLane(
      ctx,
      scene({
        marks: kinds.map((kind, i) => ({
          kind,
          x0: 50 * i,
          x1: 50 * i,
          wasted: false,
          group: false,
        })),
      }),
      COLOURS,
    );
    const fills = drawn.filter((d) => d.op === "fill");
    expect(fills.map((d) => d.style)).toEqual(["green", "orange", "blue", "red"]);
    expect(fills[0]?.path).toEqual(["A0,14,4.5"]);
    expect(fills[1]?.path).toEqual(["M50,8", "L56,14", "L50,20", "L44,14", "Z"]);
    expect(fills[2]?.path).toEqual(["R95.5,9.5,9,9"]);
    expect(fills[3]?.path).toEqual(["M150,8", "L156,19", "L144,19", "Z"]);
    // No response: a cross, stroked only.
    const cross = drawn.at(-1);
    expect(cross).toEqual({
      op: "stroke",
      style: "grey",
      dash: [],
      path: ["M196,10", "L204,18", "M204,10", "L196,18"],
    });
  });

  it("places the content by the view's scale and offset, the glyphs unstretched", () => {
    const { ctx, drawn } = recorder();
    drawLane(
      ctx,
      scene({
        scale: 3,
        offset: 100,
        marks: [{ kind: "429", x0: 40, x1: 40, wasted: true, group: false }],
      }),
      COLOURS,
    );
    // 40 on the grid is 40 × 3 − 100 = 20 on screen; the ring and the diamond keep their size.
    expect(drawn[0]).toMatchObject({ op: "stroke", style: "black", path: ["A20,14,8.5"] });
    expect(drawn[1]?.path).toEqual(["M20,8", "L26,14", "L20,20", "L14,14", "Z"]);
  });

  it("draws a group as a box across its requests, dashed in the text colour when one was wasted", () => {
    const { ctx, drawn } = recorder();
    drawLane(
      ctx,
      scene({
        scale: 2,
        marks: [{ kind: "5xx", x0: 10, x1: 30, wasted: true, group: true }],
      }),
      COLOURS,
    );
    expect(drawn[0]).toMatchObject({ op: "fill", style: "white", path: ["RR15,8,50,12"] });
    expect(drawn[1]).toMatchObject({ op: "stroke", style: "black", dash: [3, 2] });
    expect(drawn[2]).toMatchObject({ op: "fill", style: "red" });
  });

  it("shades Retry-After windows dashed and zero-budget stretches dotted, behind the marks", () => {
    const { ctx, drawn } = recorder();
    drawLane(
      ctx,
      scene({
        shades: [
          { kind: "retry-after", x0: 10, x1: 110 },
          { kind: "zero-budget", x0: 200, x1: 260 },
        ],
        marks: [{ kind: "success", x0: 20, x1: 20, wasted: false, group: false }],
      }),
      COLOURS,
    );
    expect(drawn.slice(0, 4)).toMatchObject([
      { op: "fill", style: "lightyellow", path: ["R10,1,100,26"] },
      { op: "stroke", style: "orange", dash: [4, 2] },
      { op: "fill", style: "pink", path: ["R200,1,60,26"] },
      { op: "stroke", style: "red", dash: [1, 2] },
    ]);
    expect(drawn[4]).toMatchObject({ op: "fill", style: "green" });
  });
});
