import { isProviderId } from "../core/hosts.js";
import type { HostMapping, LimitSetting } from "../core/types.js";

/** What the user configures; the panel, popup, options page and background all read it. */
export interface Settings {
  /** Hosts analysed on top of the documented API hosts, each read as a provider. */
  hosts: HostMapping[];
  /** Rate limits for hosts that send no rate-limit headers, or that override a documented one. */
  limits: LimitSetting[];
  /** Whether a new panel keeps its requests across navigations (the toolbar can still switch). */
  preserveLog: boolean;
  /** How long the background keeps what it saw of a host's traffic, in minutes. */
  retentionMinutes: number;
}

/** The settings' shape, typed from these defaults; stored with `version` for migrations. */
export const DEFAULT_SETTINGS: Readonly<Settings> = {
  hosts: [],
  limits: [],
  preserveLog: false,
  retentionMinutes: 10,
};

/** Bumped when the stored shape changes; `parseSettings` migrates anything older. */
export const SETTINGS_VERSION = 2;

export const RETENTION_MINUTES = { min: 1, max: 24 * 60 } as const;

/** `hostname` or `hostname:port`, lower-case, as the core keys hosts. */
const HOST = /^(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/;

export function normaliseHost(text: string): string | undefined {
  const host = text.trim().toLowerCase();
  return HOST.test(host) ? host : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/**
 * Settings from storage, whatever an older version or a hand edit left there. Version 1 (0.1.0)
 * stored only `hosts` and `limits`, without a version: the rest takes its default. A field that
 * does not read is its default; a broken entry in a list is dropped, the rest kept.
 */
export function parseSettings(stored: unknown): Settings {
  if (!isObject(stored)) return { ...DEFAULT_SETTINGS, hosts: [], limits: [] };
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
  const preserveLog =
    typeof stored.preserveLog === "boolean" ? stored.preserveLog : DEFAULT_SETTINGS.preserveLog;
  const retention = stored.retentionMinutes;
  const retentionMinutes =
    typeof retention === "number" &&
    Number.isInteger(retention) &&
    retention >= RETENTION_MINUTES.min &&
    retention <= RETENTION_MINUTES.max
      ? retention
      : DEFAULT_SETTINGS.retentionMinutes;
  return { hosts, limits, preserveLog, retentionMinutes };
}

/** What goes into storage: the settings and the version of their shape. */
export function toStored(settings: Settings): Settings & { version: number } {
  return { version: SETTINGS_VERSION, ...parseSettings(settings) };
}
