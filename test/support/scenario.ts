import type { RuleId } from "../../src/core/rules/index.js";
import type { HarEntry } from "../../src/core/types.js";
import { type Call, call, problem, unixSeconds } from "./har.js";

/**
 * A timeline and exactly what the analysis must find in it. Each one is a committed HAR fixture
 * (test/fixtures/<name>.har, written by test/fixtures/fixtures.test.ts).
 */
export interface Scenario {
  /** What the timeline shows, for the test name. */
  about: string;
  entries: HarEntry[];
  /** Exactly the findings the analysis must raise, in order. */
  findings: { rule: RuleId; entries: number[] }[];
}

/** A rule's scenario: its timeline kept as calls, so that a near miss can change them. */
export interface RuleScenario extends Scenario {
  calls: readonly Call[];
}

/** What src/core/rules/<id>/scenarios.ts exports: where the rule fires, and where it must not. */
export interface RuleScenarios {
  firing: RuleScenario;
  nearMiss: RuleScenario;
}

export function scenario(s: Omit<RuleScenario, "entries">): RuleScenario {
  return { ...s, entries: s.calls.map(call) };
}

/** The change that turns a firing scenario into its near miss. */
export interface NearMissChange {
  about: string;
  /** By index of the firing call: the fields that change (`undefined` removes one), or "drop". */
  calls?: Readonly<Record<number, Partial<Call> | "drop">>;
  /** Calls after the changed ones: further cases the rule must let pass. */
  plus?: readonly Call[];
}

/**
 * The firing scenario's calls with the change that clears them, and no finding. A near miss names
 * no calling line: callers are there to check where a finding points.
 */
export function nearMissOf(firing: RuleScenario, change: NearMissChange): RuleScenario {
  for (const index of Object.keys(change.calls ?? {})) {
    if (firing.calls[Number(index)] === undefined) {
      throw new Error(`"${change.about}" changes call ${index}, which the firing scenario lacks`);
    }
  }
  const calls = firing.calls.flatMap((original, i) => {
    const edit = change.calls?.[i];
    if (edit === "drop") return [];
    const { caller: _, ...changed } = { ...original, ...edit };
    return [changed];
  });
  return scenario({ about: change.about, calls: [...calls, ...(change.plus ?? [])], findings: [] });
}

/** The request bodies and replies the scenarios share. */
export const JOB = JSON.stringify({ model: "casola/llama-3-8b", prompt: "Summarise the report" });
export const CHAT = JSON.stringify({ messages: [{ role: "user", content: "Hello" }] });
/** Casola's reply to a job it accepted. */
export const ok = { job: { id: "job_1", status: "queued" } };
/** Casola's headers on a 429 rate_limit: Retry-After, and a budget at 0 until `resetAt`. */
export const rateLimited = (retryAfter: number, resetAt: number) => ({
  "retry-after": String(retryAfter),
  "x-ratelimit-limit": "100",
  "x-ratelimit-remaining": "0",
  "x-ratelimit-reset": unixSeconds(resetAt),
});
/** Cuadra's 429 problem document. */
export const tooMany = problem(
  429,
  "Too Many Requests",
  "Rate limit exceeded. Retry after 60 seconds.",
);
