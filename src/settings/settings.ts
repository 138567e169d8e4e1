import { DEFAULT_HOSTS, isProviderId } from "../core/hosts.js";
import { isRecord } from "../core/is-record.js";
import { PRESETS, type PresetId, presetHosts } from "../core/presets.js";
import type { HostMapping, LimitSetting } from "../core/types.js";

/** What the user configures; the panel, popup, options page and background all read it. */
export interface Settings {
  /** Hosts analysed on top of the documented API hosts, each read as a provider. */
  hosts: HostMapping[];
  /** The provider presets that are on (core/presets.ts), in PRESETS' order: their hosts are analysed too. */
  presets: PresetId[];
  /** Rate limits for hosts that send no rate-limit headers, or that override a documented one. */
  limits: LimitSetting[];
  /** Whether a new panel keeps its requests across navigations (the toolbar can still switch). */
  preserveLog: boolean;
  /** How long the background keeps what it saw of a host's traffic, in minutes. */
  retentionMinutes: number;
  /**
   * How many of the newest requests keep their bodies in a panel; older ones release them
   * (metadata, analysis and findings stay), so a long session fits in memory.
   */
  bodiesKept: number;
}

/** The settings' shape, typed from these defaults; stored with `version` for migrations. */
export const DEFAULT_SETTINGS: Readonly<Settings> = {
  hosts: [],
  presets: [],
  limits: [],
  preserveLog: false,
  retentionMinutes: 10,
  bodiesKept: 20_000,
};

/** Bumped when the stored shape changes; `parseSettings` migrates anything older. */
export const SETTINGS_VERSION = 3;

export const RETENTION_MINUTES = { min: 1, max: 24 * 60 } as const;
export const BODIES_KEPT = { min: 100, max: 1_000_000 } as const;

/** `hostname` or `hostname:port`, lower-case, as the core keys hosts. */
const HOST = /^(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/;

export function normaliseHost(text: string): string | undefined {
  const host = text.trim().toLowerCase();
  return HOST.test(host) ? host : undefined;
}

/** A limit counts whole requests, at least one. */
export function isRequestCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1;
}

/** A window is a whole number of seconds, at least one: rate-limit headers state them so. */
export function isWindowSeconds(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1;
}

/** What the user typed, read as a setting, or why it does not read. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** A host the user adds (panel's Hosts view, options page): a host name, not a documented one. */
export function checkHost(text: string): Checked<string> {
  const host = normaliseHost(text);
  if (host === undefined)
    return {
      ok: false,
      error: `"${text.trim()}" is not a host name (examples: staging.casola.ai, 127.0.0.1:8080)`,
    };
  if (DEFAULT_HOSTS.some((h) => h.host === host))
    return { ok: false, error: `${host} is a documented host: it is always analysed` };
  return { ok: true, value: host };
}

/** A limit the user sets, from the three fields of its form. */
export function checkLimit(
  hostText: string,
  requestsText: string,
  windowText: string,
): Checked<LimitSetting> {
  const host = normaliseHost(hostText);
  if (host === undefined)
    return {
      ok: false,
      error: `"${hostText.trim()}" is not a host name (examples: api.cuadra.ai, 127.0.0.1:8080)`,
    };
  const limit = requestsText.trim() === "" ? Number.NaN : Number(requestsText);
  if (!isRequestCount(limit))
    return { ok: false, error: "Requests must be a whole number above 0" };
  const windowSeconds = windowText.trim() === "" ? Number.NaN : Number(windowText);
  if (!isWindowSeconds(windowSeconds))
    return { ok: false, error: "The window must be a whole number of seconds above 0" };
  return { ok: true, value: { host, limit, windowSeconds } };
}

/** The hosts with `mapping` added, replacing the host's earlier mapping (it moves to the end). */
export function withHost(hosts: readonly HostMapping[], mapping: HostMapping): HostMapping[] {
  return [...withoutHost(hosts, mapping.host), mapping];
}

export function withoutHost(hosts: readonly HostMapping[], host: string): HostMapping[] {
  return hosts.filter((h) => h.host !== host);
}

/**
 * Every host analysed on top of the documented ones: the presets' that are on, then the user's
 * own, which win where both name a host (HostTable keeps the last mapping of a host).
 */
export function analysedHosts(settings: Pick<Settings, "hosts" | "presets">): HostMapping[] {
  return [...presetHosts(settings.presets), ...settings.hosts];
}

/** The presets with `id` on (or off), kept in PRESETS' order. */
export function withPreset(presets: readonly PresetId[], id: PresetId, on: boolean): PresetId[] {
  return PRESETS.map((p) => p.id).filter((p) => (p === id ? on : presets.includes(p)));
}

/** The limits with `limit` set, replacing the host's earlier one (it moves to the end). */
export function withLimit(limits: readonly LimitSetting[], limit: LimitSetting): LimitSetting[] {
  return [...withoutLimit(limits, limit.host), limit];
}

export function withoutLimit(limits: readonly LimitSetting[], host: string): LimitSetting[] {
  return limits.filter((l) => l.host !== host);
}

/** A stored window: older panels saved fractions, which count as the next whole second. */
function storedWindow(value: unknown): number | undefined {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) return undefined;
  return Math.ceil(value);
}

/** Whether `value` is a whole number within `range`: how stored and typed numbers are read alike. */
function isWholeNumberIn(value: unknown, range: { min: number; max: number }): value is number {
  return (
    typeof value === "number" && Number.isInteger(value) && value >= range.min && value <= range.max
  );
}

/** `value` when it is a whole number within `range`, else `fallback`. */
function wholeNumberIn(
  value: unknown,
  range: { min: number; max: number },
  fallback: number,
): number {
  return isWholeNumberIn(value, range) ? value : fallback;
}

/** What the user typed, read as a whole number within `range`, or `error`. */
function checkWholeNumber(
  text: string,
  range: { min: number; max: number },
  error: string,
): Checked<number> {
  const value = text.trim() === "" ? Number.NaN : Number(text);
  return isWholeNumberIn(value, range) ? { ok: true, value } : { ok: false, error };
}

/** How long the background keeps traffic, as typed on the options page. */
export function checkRetentionMinutes(text: string): Checked<number> {
  return checkWholeNumber(
    text,
    RETENTION_MINUTES,
    `Keep traffic for ${RETENTION_MINUTES.min} to ${RETENTION_MINUTES.max} minutes (a whole number)`,
  );
}

/** How many of the newest requests keep their bodies in a panel, as typed on the options page. */
export function checkBodiesKept(text: string): Checked<number> {
  return checkWholeNumber(
    text,
    BODIES_KEPT,
    `Keep the bodies of ${BODIES_KEPT.min} to ${BODIES_KEPT.max} requests (a whole number)`,
  );
}

/**
 * Settings from storage, whatever an older version or a hand edit left there. Version 1 (0.1.0)
 * stored only `hosts` and `limits`, without a version, and version 2 no `presets`: the rest
 * takes its default. A field that
 * does not read is its default; a broken entry in a list is dropped, the rest kept.
 */
export function parseSettings(stored: unknown): Settings {
  if (!isRecord(stored)) return { ...DEFAULT_SETTINGS, hosts: [], presets: [], limits: [] };
  const hosts: HostMapping[] = [];
  for (const item of Array.isArray(stored.hosts) ? stored.hosts : []) {
    if (!isRecord(item) || typeof item.host !== "string" || typeof item.provider !== "string")
      continue;
    const host = normaliseHost(item.host);
    if (host !== undefined && isProviderId(item.provider))
      hosts.push({ host, provider: item.provider });
  }
  const storedPresets = Array.isArray(stored.presets) ? stored.presets : [];
  const presets = PRESETS.map((p) => p.id).filter((id) => storedPresets.includes(id));
  const limits: LimitSetting[] = [];
  for (const item of Array.isArray(stored.limits) ? stored.limits : []) {
    if (!isRecord(item) || typeof item.host !== "string") continue;
    const host = normaliseHost(item.host);
    const { limit } = item;
    const windowSeconds = storedWindow(item.windowSeconds);
    if (host !== undefined && isRequestCount(limit) && isWindowSeconds(windowSeconds))
      limits.push({ host, limit, windowSeconds });
  }
  const preserveLog =
    typeof stored.preserveLog === "boolean" ? stored.preserveLog : DEFAULT_SETTINGS.preserveLog;
  const retentionMinutes = wholeNumberIn(
    stored.retentionMinutes,
    RETENTION_MINUTES,
    DEFAULT_SETTINGS.retentionMinutes,
  );
  const bodiesKept = wholeNumberIn(stored.bodiesKept, BODIES_KEPT, DEFAULT_SETTINGS.bodiesKept);
  return { hosts, presets, limits, preserveLog, retentionMinutes, bodiesKept };
}

/** What goes into storage: the settings and the version of their shape. */
export function toStored(settings: Settings): Settings & { version: number } {
  return { version: SETTINGS_VERSION, ...parseSettings(settings) };
}
