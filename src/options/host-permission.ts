import { DEFAULT_HOSTS, HostTable } from "../core/hosts.js";
import { type PresetId, presetHosts } from "../core/presets.js";
import type { HostMapping } from "../core/types.js";

/** A host permission's match pattern names a hostname, never a port: `127.0.0.1:8080` -> `127.0.0.1`. */
export function hostnameOf(host: string): string {
  return host.replace(/:\d+$/, "");
}

/** The match pattern that covers `host` on every port and scheme: `*://127.0.0.1/*`. */
export function hostPattern(host: string): string {
  return `*://${hostnameOf(host)}/*`;
}

/**
 * Whether removing `host` may give its permission back: not while another of the user's hosts
 * shares its hostname (one pattern covers every port), nor while a provider that is on lies on
 * it (its narrower grant would go too), nor for a documented host, whose permission the manifest
 * asks for and the browser cannot remove.
 */
export function mayRemovePermission(
  host: string,
  remaining: readonly HostMapping[],
  presets: readonly PresetId[],
): boolean {
  const hostname = hostnameOf(host);
  const needs = (h: HostMapping) => hostnameOf(h.host) === hostname;
  const providers = new HostTable(presetHosts(presets), []);
  return (
    !DEFAULT_HOSTS.some(needs) &&
    !remaining.some((h) => h.host !== host && needs(h)) &&
    !providers.isApiHost(`https://${hostname}/`)
  );
}
