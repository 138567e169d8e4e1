import type { BudgetWindow } from "../../core/budget/windows.js";
import type { StatusClass } from "../../core/timeline/timeline.js";

/** The palette a lane is drawn in: the panel's theme variables, read where the canvas sits. */
export interface LaneColours {
  ok: string;
  warning: string;
  info: string;
  error: string;
  muted: string;
  fg: string;
  bg: string;
  warningBg: string;
  errorBg: string;
}

const VARIABLES: Record<keyof LaneColours, string> = {
  ok: "--ok",
  warning: "--warning",
  info: "--info",
  error: "--error",
  muted: "--muted",
  fg: "--fg",
  bg: "--bg",
  warningBg: "--warning-bg",
  errorBg: "--error-bg",
};

/** The theme's colours as `element` inherits them, so the canvas follows a theme switch. */
export function laneColours(element: Element): LaneColours {
  const style = getComputedStyle(element);
  const out = {} as LaneColours;
  for (const [key, name] of Object.entries(VARIABLES) as [keyof LaneColours, string][])
    out[key] = style.getPropertyValue(name).trim() || "#888";
  return out;
}

/** What of a lane the canvas draws, in the lane's content coordinates (see `LaneScene.scale`). */
export interface LaneScene {
  height: number;
  /** The canvas's CSS width: what is drawn beyond it is cut off. */
  width: number;
  /** Screen x of a content x: `x * scale - offset`. */
  scale: number;
  offset: number;
  shades: readonly { kind: BudgetWindow["kind"]; x0: number; x1: number }[];
  marks: readonly SceneMark[];
}

/** A request, or a group of requests too close to tell apart, at content x `x0` (a group to `x1`). */
export interface SceneMark {
  kind: StatusClass;
  x0: number;
  x1: number;
  /** For one request: the content x of its response's end. */
  end?: number;
  wasted: boolean;
  group: boolean;
}

/** The subset of a 2D context the lane is drawn with (a test records the calls). */
export type LaneContext = Pick<
  CanvasRenderingContext2D,
  | "beginPath"
  | "moveTo"
  | "lineTo"
  | "closePath"
  | "arc"
  | "rect"
  | "roundRect"
  | "fill"
  | "stroke"
  | "fillRect"
  | "clearRect"
  | "setLineDash"
  | "setTransform"
> & {
  fillStyle: CanvasRenderingContext2D["fillStyle"];
  strokeStyle: CanvasRenderingContext2D["strokeStyle"];
  lineWidth: number;
  globalAlpha: number;
};

function statusColour(kind: StatusClass, colours: LaneColours): string {
  switch (kind) {
    case "success":
      return colours.ok;
    case "429":
      return colours.warning;
    case "4xx":
      return colours.info;
    case "5xx":
      return colours.error;
    default:
      return colours.muted;
  }
}

/**
 * A status's glyph centred on `x`,`y`: the same shapes as the legend's (circle 2xx, diamond 429,
 * square 4xx, triangle 5xx, cross no response), so the shape tells the status without its colour.
 */
export function drawGlyph(
  ctx: LaneContext,
  kind: StatusClass,
  x: number,
  y: number,
  colours: LaneColours,
): void {
  const colour = statusColour(kind, colours);
  ctx.fillStyle = colour;
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1;
  ctx.beginPath();
  switch (kind) {
    case "success":
      ctx.arc(x, y, 4.5, 0, Math.PI * 2);
      break;
    case "429":
      ctx.moveTo(x, y - 6);
      ctx.lineTo(x + 6, y);
      ctx.lineTo(x, y + 6);
      ctx.lineTo(x - 6, y);
      ctx.closePath();
      break;
    case "4xx":
      ctx.rect(x - 4.5, y - 4.5, 9, 9);
      break;
    case "5xx":
      ctx.moveTo(x, y - 6);
      ctx.lineTo(x + 6, y + 5);
      ctx.lineTo(x - 6, y + 5);
      ctx.closePath();
      break;
    default:
      ctx.moveTo(x - 4, y - 4);
      ctx.lineTo(x + 4, y + 4);
      ctx.moveTo(x + 4, y - 4);
      ctx.lineTo(x - 4, y + 4);
      ctx.lineWidth = 2;
      ctx.stroke();
      return;
  }
  ctx.fill();
  ctx.stroke();
}

/**
 * Draws a lane: its shaded windows, then each request's line to its end, ring when wasted and
 * glyph, and each group's box and glyph. A zoom step redraws the canvas at the new scale while the
 * DOM above it (the marks' focusable, named hit areas) only changes one transform.
 */
export function drawLane(ctx: LaneContext, scene: LaneScene, colours: LaneColours): void {
  const { scale, offset, width, height } = scene;
  const at = (x: number) => x * scale - offset;
  const mid = height / 2;
  ctx.clearRect(0, 0, width, height);
  for (const shade of scene.shades) {
    const x0 = Math.max(-2, at(shade.x0));
    const x1 = Math.min(width + 2, at(shade.x1));
    if (x1 < x0) continue;
    const retry = shade.kind === "retry-after";
    ctx.fillStyle = retry ? colours.warningBg : colours.errorBg;
    ctx.strokeStyle = retry ? colours.warning : colours.error;
    ctx.lineWidth = 1;
    ctx.setLineDash(retry ? [4, 2] : [1, 2]);
    ctx.fillRect(x0, 1, Math.max(1, x1 - x0), height - 2);
    ctx.beginPath();
    ctx.rect(x0 + 0.5, 1.5, Math.max(0, x1 - x0 - 1), height - 3);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  for (const mark of scene.marks) {
    const x0 = at(mark.x0);
    if (mark.group) {
      const x1 = at(mark.x1);
      ctx.beginPath();
      ctx.roundRect(x0 - 5, mid - 6, x1 - x0 + 10, 12, 3);
      ctx.fillStyle = colours.bg;
      ctx.fill();
      ctx.lineWidth = 1.5;
      if (mark.wasted) {
        ctx.strokeStyle = colours.fg;
        ctx.setLineDash([3, 2]);
      } else {
        ctx.strokeStyle = statusColour(mark.kind, colours);
      }
      ctx.stroke();
      ctx.setLineDash([]);
      drawGlyph(ctx, mark.kind, x0, mid, colours);
      continue;
    }
    if (mark.end !== undefined) {
      const x1 = Math.min(at(mark.end), width + 10);
      if (x1 - x0 > 3) {
        ctx.globalAlpha = 0.6;
        ctx.strokeStyle = statusColour(mark.kind, colours);
        ctx.lineWidth = 2;
        ctx.beginPath();
        ctx.moveTo(x0, mid);
        ctx.lineTo(x1, mid);
        ctx.stroke();
        ctx.globalAlpha = 1;
      }
    }
    if (mark.wasted) {
      ctx.strokeStyle = colours.fg;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.arc(x0, mid, 8.5, 0, Math.PI * 2);
      ctx.stroke();
    }
    drawGlyph(ctx, mark.kind, x0, mid, colours);
  }
}
