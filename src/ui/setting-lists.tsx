import { DEFAULT_HOSTS } from "../core/hosts.js";
import type { HostMapping, LimitSetting } from "../core/types.js";

/**
 * The lists of hosts and limits, with a Remove button per row of the user's: the panel's Hosts
 * view and the options page. What a Remove or a replace does to the settings is src/settings'
 * (withoutHost, withLimit, ...); the surface saves it its own way.
 */
export type ListSurface = "panel" | "options";

/** Each surface's stylesheet and tests know the lists by their own names. */
const NAMES = {
  panel: {
    table: "kv",
    head: false,
    documented: "hint",
    ids: { defaultHost: undefined, host: "user-host", limit: "user-limit" },
    noLimits: undefined,
  },
  options: {
    table: "table",
    head: true,
    documented: "muted",
    ids: { defaultHost: "options-default-host", host: "options-host", limit: "options-limit" },
    noLimits: "None: documented limits apply.",
  },
} as const;

function Head({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        <th scope="col">
          <span class="visually-hidden">Actions</span>
        </th>
      </tr>
    </thead>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" aria-label={label} onClick={onClick}>
      Remove
    </button>
  );
}

export interface HostListProps {
  surface: ListSurface;
  /** The user's hosts, after the documented ones (which cannot be removed). */
  hosts: readonly HostMapping[];
  onRemove(host: string): void;
}

/** The documented API hosts, then the user's, each read as its provider. */
export function HostList({ surface, hosts, onRemove }: HostListProps) {
  const names = NAMES[surface];
  return (
    <table class={names.table}>
      {names.head ? <Head columns={["Host", "Provider"]} /> : null}
      <tbody>
        {DEFAULT_HOSTS.map((h) => (
          <tr key={h.host} data-testid={names.ids.defaultHost} data-host={h.host}>
            <td class="mono">{h.host}</td>
            <td>{h.provider}</td>
            <td class={names.documented}>documented</td>
          </tr>
        ))}
        {hosts.map((h) => (
          <tr key={h.host} data-testid={names.ids.host} data-host={h.host}>
            <td class="mono">{h.host}</td>
            <td>{h.provider}</td>
            <td>
              <RemoveButton label={`Remove ${h.host}`} onClick={() => onRemove(h.host)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface LimitListProps {
  surface: ListSurface;
  limits: readonly LimitSetting[];
  onRemove(host: string): void;
}

/** The limits the user set, per host. */
export function LimitList({ surface, limits, onRemove }: LimitListProps) {
  const names = NAMES[surface];
  if (limits.length === 0 && names.noLimits !== undefined)
    return <p class="muted">{names.noLimits}</p>;
  return (
    <table class={names.table}>
      {names.head ? <Head columns={["Host", "Limit"]} /> : null}
      <tbody>
        {limits.map((l) => (
          <tr key={l.host} data-testid={names.ids.limit} data-host={l.host}>
            <td class="mono">{l.host}</td>
            <td>
              {l.limit} requests per {l.windowSeconds} s
            </td>
            <td>
              <RemoveButton
                label={`Remove the limit of ${l.host}`}
                onClick={() => onRemove(l.host)}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
