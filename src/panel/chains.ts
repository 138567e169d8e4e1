import type { Chain, Cost } from "../core/chains.js";
import type { Session } from "../core/session.js";
import type { HostCost } from "../messaging/protocol.js";

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

/**
 * The chains' cost per API host, costliest first: what the panel tells the background, for the
 * popup. A chain that wasted nothing costs nothing and names no host.
 */
export function costByHost(chains: readonly Chain[]): HostCost[] {
  const byHost = new Map<string, HostCost>();
  for (const { host, wastedRequests, wastedSeconds } of chains) {
    if (wastedRequests === 0 && wastedSeconds === 0) continue;
    const sum = byHost.get(host) ?? { host, wastedRequests: 0, wastedSeconds: 0 };
    sum.wastedRequests += wastedRequests;
    sum.wastedSeconds += wastedSeconds;
    byHost.set(host, sum);
  }
  return [...byHost.values()].sort(
    (a, b) =>
      b.wastedRequests - a.wastedRequests ||
      b.wastedSeconds - a.wastedSeconds ||
      a.host.localeCompare(b.host),
  );
}
