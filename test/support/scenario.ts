import type { RuleId } from "../../src/core/rules/index.js";
import type { HarEntry } from "../../src/core/types.js";
import { type Call, call } from "./har.js";

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

/**
 * One request sent at each attempt's time: a retry storm, or polling, is the same request again.
 * `request` carries the reply most attempts get; an attempt names its time and whatever else
 * differs (the reply that ends the storm). Spread into `calls`, the attempts keep their order, so
 * a near miss still changes them by index.
 */
export function sent(
  request: Omit<Call, "at">,
  ...attempts: (Pick<Call, "at"> & Partial<Call>)[]
): Call[] {
  return attempts.map((attempt) => ({ ...request, ...attempt }));
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
