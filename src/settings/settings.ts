import { isProviderId } from "../core/hosts.js";
import type { HostMapping, LimitSetting } from "../core/types.js";

/** What the user configures; the panel, popup, options page and background all read it. */
export interface Settings {
  /** Hosts analysed on top of the documented API hosts, each read as a provider. */
  hosts: HostMapping[];
  /** Rate limits for hosts that send no rate-limit headers. */
  limits: LimitSetting[];
}

export const DEFAULT_SETTINGS: Settings = { hosts: [], limits: [] };

/** `hostname` or `hostname:port`, lower-case, as the core keys hosts. */
const HOST = /^(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/;

export function normaliseHost(text: string): string | undefined {
  const host = text.trim().toLowerCase();
  return HOST.test(host) ? host : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Settings from storage, whatever an older version or a hand edit left there. */
export function parseSettings(stored: unknown): Settings {
  if (!isObject(stored)) return { hosts: [], limits: [] };
  const hosts: HostMapping[] = [];
  for (const item of Array.isArray(stored.hosts) ? stored.hosts : []) {
    if (!isObject(item) || typeof item.host !== "string" || typeof item.provider !== "string")
      continue;
    const host = normaliseHost(item.host);
    if (host !== undefined && isProviderId(item.provider))
      hosts.push({ host, provider: item.provider });
  }
  const limits: LimitSetting[] = [];
  for (const item of Array.isArray(stored.limits) ? stored.limits : []) {
    if (!isObject(item) || typeof item.host !== "string") continue;
    const host = normaliseHost(item.host);
    const { limit, windowSeconds } = item;
    if (
      host !== undefined &&
      typeof limit === "number" &&
      Number.isInteger(limit) &&
      limit > 0 &&
      typeof windowSeconds === "number" &&
      windowSeconds > 0
    )
      limits.push({ host, limit, windowSeconds });
  }
  return { hosts, limits };
}
