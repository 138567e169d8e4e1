import type { AnalysisReport } from "../core/report.js";
import type { Session } from "../core/session.js";
import type { ChainView, CostView } from "../ui/cost.js";

/** The session's retry chains and what they cost, as the core's report has them (spec section 8). */
export interface SessionChains {
  chains: readonly ChainView[];
  /** Absent while the report has no cost to tell. */
  cost: CostView | undefined;
}

const NONE: SessionChains = { chains: [], cost: undefined };

/** The last answer per session, with the session's version it is for: a redraw asks again. */
const answers = new WeakMap<Session, { version: number; answer: SessionChains }>();

/**
 * The chains and cost of the session's report: the same figures the CLI and the exports print,
 * made once per change of the session (its `version`), not once per redraw.
 */
export function chainsOf(session: Session): SessionChains {
  const known = answers.get(session);
  if (known !== undefined && known.version === session.version) return known.answer;
  const report: AnalysisReport & Partial<SessionChains> = session.report();
  const answer = report.chains === undefined ? NONE : { chains: report.chains, cost: report.cost };
  answers.set(session, { version: session.version, answer });
  return answer;
}
