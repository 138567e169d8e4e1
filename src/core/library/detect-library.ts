import type { LibraryAdvice } from "../finding.js";
import type { Exchange } from "../har/exchange.js";
import { callerStack } from "../har/initiator.js";
import type { RuleId } from "../rules/index.js";
import { LIBRARIES, type Library, type LibraryId } from "./libraries.js";
import { libraryOfScript } from "./script-url.js";

/** What detection reads of a request: its headers, its host and its call stack. */
export type LibrarySigns = Pick<Exchange, "requestHeaders" | "host" | "stackSource">;

const BY_ID = new Map<LibraryId, Library>(LIBRARIES.map((library) => [library.id, library]));

/** A Stainless-generated SDK other than OpenAI's or Anthropic's names itself so: `Groq/JS 0.3.0`. */
const SDK_USER_AGENT = /^([A-Za-z][\w-]*)\/JS\b/;

/**
 * The OpenAI and Anthropic SDKs send `x-stainless-*` headers (`x-stainless-lang`,
 * `x-stainless-package-version`, `x-stainless-retry-count`); other SDKs built the same way do
 * too, so the host, `anthropic-version` or the SDK's own User-Agent tells which.
 */
function sdkOfHeaders(signs: LibrarySigns): LibraryId | undefined {
  const headers = signs.requestHeaders;
  if (![...headers.keys()].some((name) => name.startsWith("x-stainless-"))) return undefined;
  const agent = headers.get("user-agent") ?? "";
  const host = signs.host.replace(/:\d+$/, "").toLowerCase();
  if (headers.has("anthropic-version") || /(?:^|\.)anthropic\.com$/.test(host)) return "anthropic";
  if (/^Anthropic\//.test(agent)) return "anthropic";
  const sdk = SDK_USER_AGENT.exec(agent)?.[1];
  return sdk === undefined || sdk === "OpenAI" ? "openai" : undefined;
}

/** User-Agents that name the library; the `octokit` package bundles both plugins. */
const USER_AGENTS: readonly [RegExp, readonly LibraryId[]][] = [
  [/^OpenAI\//, ["openai"]],
  [/^Anthropic\//, ["anthropic"]],
  [/^got(?:\/[\d.]+)? \(/, ["got"]],
  [/(?:^|\s)octokit\.js\//, ["octokit-retry", "octokit-throttling"]],
];

function librariesOfUserAgent(agent: string | undefined): readonly LibraryId[] {
  if (agent === undefined) return [];
  for (const [pattern, ids] of USER_AGENTS) if (pattern.test(agent)) return ids;
  return [];
}

/**
 * The libraries the traffic shows sent the request, most telling first: request headers, then the
 * User-Agent, then the scripts of the `_initiator` stack from the call nearest the network down.
 */
export function detectLibraries(signs: LibrarySigns): LibraryId[] {
  const found: LibraryId[] = [];
  const add = (id: LibraryId | undefined) => {
    if (id !== undefined && !found.includes(id)) found.push(id);
  };
  add(sdkOfHeaders(signs));
  for (const id of librariesOfUserAgent(signs.requestHeaders.get("user-agent"))) add(id);
  for (const frame of callerStack({ _initiator: signs.stackSource }))
    add(libraryOfScript(frame.url));
  return found;
}

/**
 * The option that fixes `rule`'s finding, of the first of the detected `libraries` (from
 * detectLibraries) that has one. Undefined for an unknown client, or when no library shown has
 * an option for that rule.
 */
export function libraryAdvice(
  libraries: readonly LibraryId[],
  rule: RuleId,
): LibraryAdvice | undefined {
  for (const id of libraries) {
    const library = BY_ID.get(id);
    const option = library?.options[rule];
    if (library !== undefined && option !== undefined)
      return { name: library.name, option: option.option, advice: option.advice };
  }
  return undefined;
}
