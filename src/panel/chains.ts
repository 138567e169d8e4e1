import type { Chain, Cost } from "../core/chains.js";
import type { Session } from "../core/session.js";

/** The session's retry chains and what they cost, as the core's report has them. */
export interface SessionChains {
  chains: readonly Chain[];
  cost: Cost;
}

/** The last answer per session, with the session's version it is for: a redraw asks again. */
const answers = new WeakMap<Session, { version: number; answer: SessionChains }>();

/**
 * The chains and cost of the session's report: the same figures the CLI and the exports print,
 * made once per change of the session (its `version`), not once per redraw.
 */
export function chainsOf(session: Session): SessionChains {
  const known = answers.get(session);
  if (known !== undefined && known.version === session.version) return known.answer;
  const { chains, cost } = session.chains();
  const answer = { chains, cost };
  answers.set(session, { version: session.version, answer });
  return answer;
}
