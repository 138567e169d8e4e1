import { useState } from "preact/hooks";
import { DEFAULT_HOSTS } from "../../core/hosts.js";
import type { Settings } from "../../settings/settings.js";
import { HostForm } from "../../ui/host-form.js";
import { LimitForm } from "../../ui/limit-form.js";

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
  const [error, setError] = useState<string | undefined>(undefined);

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
        <HostForm
          layout="row"
          onInvalid={setError}
          onAdd={(mapping) => {
            setError(undefined);
            onSave({
              ...settings,
              hosts: [...settings.hosts.filter((h) => h.host !== mapping.host), mapping],
            });
          }}
        />
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
        <LimitForm
          layout="row"
          onInvalid={setError}
          onSet={(limit) => {
            setError(undefined);
            onSave({
              ...settings,
              limits: [...settings.limits.filter((l) => l.host !== limit.host), limit],
            });
          }}
        />
      </section>
      {error === undefined ? null : (
        <p class="import-error" role="alert" data-testid="hosts-error">
          {error}
        </p>
      )}
    </div>
  );
}
