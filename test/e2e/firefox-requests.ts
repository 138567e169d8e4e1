import type { FirefoxWithExtension } from "../../dev/firefox.js";

/** One HTTP(S) or WebSocket request as Firefox's parent process opened it. */
export interface ChannelRecord {
  url: string;
  /** The origin of the principal that started the load, `system` for Firefox's own. */
  triggering: string;
  /** The add-on id of that principal ("" for a web page or Firefox). */
  addonId: string;
  /** The origin of the document the load is for, when there is one. */
  loading: string | null;
}

/**
 * Privileged code for `launchFirefox({ beforeInstall })` (./firefox-harness.ts): from before the
 * extension exists, every channel of the whole browser is recorded in the parent process, which
 * opens every network channel for every process (`http-on-modify-request`, before any cache or
 * connection), with who started it. So it covers the extension's pages and background, whatever
 * API they use.
 */
export const RECORD_REQUESTS = `(async () => {
  const seen = (window.ratelensRequests = new Map());
  const origin = (principal) => {
    if (!principal) return null;
    if (principal.isSystemPrincipal) return "system";
    try { return principal.origin; } catch { return String(principal); }
  };
  Services.obs.addObserver({
    observe(subject) {
      const channel = subject.QueryInterface(Ci.nsIHttpChannel);
      const info = channel.loadInfo;
      seen.set(channel.channelId, {
        url: channel.URI.spec,
        triggering: origin(info?.triggeringPrincipal) ?? "none",
        addonId: info?.triggeringPrincipal?.addonId ?? "",
        loading: origin(info?.loadingPrincipal),
      });
    },
  }, "http-on-modify-request");
  return true;
})()`;

/** Every request recorded since `RECORD_REQUESTS` ran, in the order they were opened. */
export function recordedRequests(ff: FirefoxWithExtension): Promise<ChannelRecord[]> {
  return ff.chrome<ChannelRecord[]>("[...window.ratelensRequests.values()]");
}

/** The requests the extension started, or that load into one of its pages. */
export function byExtension(ff: FirefoxWithExtension, requests: ChannelRecord[]): ChannelRecord[] {
  return requests.filter(
    (r) =>
      r.addonId === ff.id ||
      r.triggering.startsWith(ff.origin) ||
      (r.loading ?? "").startsWith(ff.origin),
  );
}
