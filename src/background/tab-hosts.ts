/** Tabs whose hosts are kept: the oldest tab goes first beyond it. */
const MAX_TABS = 256;

/** Each tab's API hosts with the end of its latest response from each: the tab's active host. */
export class TabHosts {
  /** tab -> host -> end of the tab's latest response from it. */
  readonly #tabs: Map<number, Map<string, number>>;

  constructor(tabs: Map<number, Map<string, number>> = new Map()) {
    this.#tabs = tabs;
  }

  /** Tab `tabId` had a response from `host` ending at `end`. */
  seen(tabId: number, host: string, end: number): void {
    if (tabId < 0) return;
    let hosts = this.#tabs.get(tabId);
    if (hosts === undefined) {
      hosts = new Map();
      this.#tabs.set(tabId, hosts);
      if (this.#tabs.size > MAX_TABS) {
        const oldest = this.#tabs.keys().next().value;
        if (oldest !== undefined) this.#tabs.delete(oldest);
      }
    }
    if ((hosts.get(host) ?? Number.NEGATIVE_INFINITY) <= end) {
      // Re-inserted last, so the newest of equal times wins.
      hosts.delete(host);
      hosts.set(host, end);
    }
  }

  /** The host the tab's latest response came from. */
  activeHost(tabId: number): string | null {
    let newest: [string, number] | undefined;
    for (const [host, end] of this.#tabs.get(tabId) ?? []) {
      if (newest === undefined || end >= newest[1]) newest = [host, end];
    }
    return newest?.[0] ?? null;
  }

  dropTab(tabId: number): boolean {
    return this.#tabs.delete(tabId);
  }

  forgetHost(host: string): void {
    for (const hosts of this.#tabs.values()) hosts.delete(host);
  }

  /** Forgets what ended before `horizon` and the hosts `known` denies. */
  prune(horizon: number, known: (host: string) => boolean): boolean {
    let changed = false;
    for (const [tabId, hosts] of [...this.#tabs]) {
      for (const [host, end] of [...hosts]) {
        if (end < horizon || !known(host)) {
          hosts.delete(host);
          changed = true;
        }
      }
      if (hosts.size === 0) this.#tabs.delete(tabId);
    }
    return changed;
  }

  entries(): [tabId: number, hosts: [string, number][]][] {
    return [...this.#tabs].map(([tabId, hosts]) => [tabId, [...hosts]]);
  }
}
