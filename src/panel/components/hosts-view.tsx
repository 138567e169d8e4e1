import { useState } from "preact/hooks";
import { DEFAULT_HOSTS } from "../../core/hosts.js";
import { PROVIDER_IDS, type ProviderId } from "../../core/types.js";
import { normaliseHost, type Settings } from "../../settings/settings.js";

export interface HostsViewProps {
  settings: Settings;
  /** Stores the new settings; the panel re-analyses its entries when they land. */
  onSave(settings: Settings): void;
}

/**
 * The hosts Ratelens analyses: the documented API hosts, plus the user's own (a staging host, a
 * proxy, a mock on 127.0.0.1:PORT), each read as a provider, and rate limits for hosts that send
 * no rate-limit headers.
 */
export function HostsView({ settings, onSave }: HostsViewProps) {
  const [host, setHost] = useState("");
  const [provider, setProvider] = useState<ProviderId>("casola");
  const [limitHost, setLimitHost] = useState("");
  const [limit, setLimit] = useState("");
  const [windowSeconds, setWindowSeconds] = useState("60");
  const [error, setError] = useState<string | undefined>(undefined);

  const addHost = (event: Event) => {
    event.preventDefault();
    const name = normaliseHost(host);
    if (name === undefined) {
      setError(`"${host}" is not a host name (example: staging.casola.ai or 127.0.0.1:8080)`);
      return;
    }
    setError(undefined);
    setHost("");
    onSave({
      ...settings,
      hosts: [...settings.hosts.filter((h) => h.host !== name), { host: name, provider }],
    });
  };

  const addLimit = (event: Event) => {
    event.preventDefault();
    const name = normaliseHost(limitHost);
    const count = Number(limit);
    const seconds = Number(windowSeconds);
    if (name === undefined || !Number.isInteger(count) || count <= 0 || !(seconds > 0)) {
      setError("a limit needs a host, a whole number of requests and a window in seconds");
      return;
    }
    setError(undefined);
    setLimitHost("");
    setLimit("");
    onSave({
      ...settings,
      limits: [
        ...settings.limits.filter((l) => l.host !== name),
        { host: name, limit: count, windowSeconds: seconds },
      ],
    });
  };

  return (
    <div class="hosts-view" data-testid="hosts-view">
      <section>
        <h2>API hosts</h2>
        <p class="hint">
          Requests to these hosts are analysed; all other traffic is ignored and never stored.
        </p>
        <table class="kv">
          <tbody>
            {DEFAULT_HOSTS.map((h) => (
              <tr key={h.host}>
                <td class="mono">{h.host}</td>
                <td>{h.provider}</td>
                <td class="hint">documented</td>
              </tr>
            ))}
            {settings.hosts.map((h) => (
              <tr key={h.host} data-testid="user-host">
                <td class="mono">{h.host}</td>
                <td>{h.provider}</td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove ${h.host}`}
                    onClick={() =>
                      onSave({
                        ...settings,
                        hosts: settings.hosts.filter((x) => x.host !== h.host),
                      })
                    }
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form class="inline-form" onSubmit={addHost}>
          <input
            type="text"
            placeholder="staging.casola.ai or 127.0.0.1:8080"
            aria-label="Host to analyse"
            value={host}
            onInput={(e) => setHost((e.currentTarget as HTMLInputElement).value)}
          />
          <select
            aria-label="Read its errors as"
            value={provider}
            onChange={(e) =>
              setProvider((e.currentTarget as HTMLSelectElement).value as ProviderId)
            }
          >
            {PROVIDER_IDS.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
          <button type="submit">Add host</button>
        </form>
      </section>
      <section>
        <h2>Rate limits</h2>
        <p class="hint">
          For hosts that send no rate-limit headers: the budget is then estimated against this limit
          instead of the documented one.
        </p>
        <table class="kv">
          <tbody>
            {settings.limits.map((l) => (
              <tr key={l.host} data-testid="user-limit">
                <td class="mono">{l.host}</td>
                <td>
                  {l.limit} requests per {l.windowSeconds} s
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove the limit of ${l.host}`}
                    onClick={() =>
                      onSave({
                        ...settings,
                        limits: settings.limits.filter((x) => x.host !== l.host),
                      })
                    }
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form class="inline-form" onSubmit={addLimit}>
          <input
            type="text"
            placeholder="host"
            aria-label="Host of the limit"
            value={limitHost}
            onInput={(e) => setLimitHost((e.currentTarget as HTMLInputElement).value)}
          />
          <input
            type="number"
            min="1"
            placeholder="requests"
            aria-label="Requests per window"
            value={limit}
            onInput={(e) => setLimit((e.currentTarget as HTMLInputElement).value)}
          />
          <input
            type="number"
            min="1"
            aria-label="Window in seconds"
            value={windowSeconds}
            onInput={(e) => setWindowSeconds((e.currentTarget as HTMLInputElement).value)}
          />
          <button type="submit">Set limit</button>
        </form>
      </section>
      {error === undefined ? null : (
        <p class="import-error" role="alert" data-testid="hosts-error">
          {error}
        </p>
      )}
    </div>
  );
}
