import type { HostMapping, ProviderId } from "./types.js";

/**
 * The documented API hosts: the one list. The manifest's host_permissions are derived from it
 * (vite.config.ts), and the demo's mock answers for them.
 */
export const DEFAULT_HOSTS: readonly HostMapping[] = [
  { host: "api.casola.ai", provider: "casola" },
  { host: "api.us.casola.ai", provider: "casola" },
  { host: "api.eu.casola.ai", provider: "casola" },
  { host: "api.ap.casola.ai", provider: "casola" },
  { host: "api.cuadra.ai", provider: "cuadra" },
  { host: "auth.cuadra.ai", provider: "cuadra" },
];

/** The host permissions the extension needs for the documented hosts, which all speak HTTPS. */
export function defaultHostPermissions(): string[] {
  return DEFAULT_HOSTS.map(({ host }) => `https://${host}/*`);
}

export interface UrlParts {
  /** Lower-cased hostname without brackets' contents changed, e.g. `api.casola.ai` or `[::1]`. */
  hostname: string;
  /** The explicit port, or "" when the URL uses the scheme's default. */
  port: string;
  /** `hostname` or `hostname:port`, the key budgets are kept under. */
  host: string;
}

export function urlParts(url: string): UrlParts | undefined {
  try {
    const parsed = new URL(url);
    const hostname = parsed.hostname.toLowerCase();
    return {
      hostname,
      port: parsed.port,
      host: parsed.port ? `${hostname}:${parsed.port}` : hostname,
    };
  } catch {
    return undefined;
  }
}

/**
 * Looks hosts up by `hostname:port` first (a user's mock on 127.0.0.1:8080), then by hostname,
 * then by the longest `*.domain` pattern the hostname is a subdomain of (Azure OpenAI's
 * `*.openai.azure.com`: a resource's own subdomain, never the bare domain).
 */
export class HostTable {
  readonly #byHost = new Map<string, ProviderId>();
  /** `.domain` suffixes of the `*.` patterns, longest first, so the closest pattern wins. */
  readonly #bySuffix: [string, ProviderId][] = [];

  constructor(
    userHosts: readonly HostMapping[] = [],
    defaults: readonly HostMapping[] = DEFAULT_HOSTS,
  ) {
    const suffixes = new Map<string, ProviderId>();
    for (const { host, provider } of [...defaults, ...userHosts]) {
      const key = host.trim().toLowerCase();
      if (key.startsWith("*.")) suffixes.set(key.slice(1), provider);
      else this.#byHost.set(key, provider);
    }
    this.#bySuffix = [...suffixes].sort(([a], [b]) => b.length - a.length);
  }

  providerOf(parts: UrlParts | undefined): ProviderId | undefined {
    if (parts === undefined) return undefined;
    const exact =
      (parts.port ? this.#byHost.get(parts.host) : undefined) ?? this.#byHost.get(parts.hostname);
    if (exact !== undefined) return exact;
    return this.#bySuffix.find(([suffix]) => parts.hostname.endsWith(suffix))?.[1];
  }

  /** Whether the URL goes to an API host (a default or one the user added). */
  isApiHost(url: string): boolean {
    return this.providerOf(urlParts(url)) !== undefined;
  }
}

/** Parses `HOST=PROVIDER` as the CLI's --host takes it; undefined when malformed. */
export function parseHostMapping(text: string): HostMapping | undefined {
  const at = text.lastIndexOf("=");
  if (at <= 0) return undefined;
  const host = text.slice(0, at).trim().toLowerCase();
  const provider = text.slice(at + 1).trim();
  if (!/^[a-z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/.test(host)) return undefined;
  if (!isProviderId(provider)) return undefined;
  return { host, provider };
}

export function isProviderId(value: string): value is ProviderId {
  return value === "casola" || value === "cuadra" || value === "problem" || value === "generic";
}
