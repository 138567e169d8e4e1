import type { Clock } from "../../src/background/ports.js";
import { T0 } from "./har.js";

/** A clock whose time moves only when a test moves it; its timers run as time passes them. */
export class FakeClock implements Clock {
  time = T0;
  timers: { at: number; callback: () => void; cancelled: boolean }[] = [];
  now = () => this.time;
  setTimeout = (callback: () => void, ms: number) => {
    const timer = { at: this.time + ms, callback, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };

  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time && !t.cancelled);
    this.timers = this.timers.filter((t) => !due.includes(t));
    for (const timer of due) timer.callback();
  }

  /** Every timer set so far is gone, as a killed worker's are: none of them will run. */
  dropTimers(): void {
    for (const timer of this.timers) timer.cancelled = true;
    this.timers = [];
  }
}
