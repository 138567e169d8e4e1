import { useState } from "preact/hooks";
import { CUADRA_LIMITS } from "../../core/catalog/cuadra.js";
import { normaliseHost, type Settings } from "../../settings/settings.js";
import type { UpdateSettings } from "../use-settings.js";

export interface LimitsSectionProps {
  settings: Settings;
  update: UpdateSettings;
}

/** What each provider documents, and the user's own limit per host on top. */
export function LimitsSection({ settings, update }: LimitsSectionProps) {
  const [host, setHost] = useState("");
  const [requests, setRequests] = useState("");
  const [windowSeconds, setWindowSeconds] = useState("60");
  const [error, setError] = useState<string | undefined>(undefined);

  const add = (event: Event) => {
    event.preventDefault();
    const name = normaliseHost(host);
    const limit = Number(requests);
    const seconds = Number(windowSeconds);
    if (name === undefined) {
      setError(`"${host.trim()}" is not a host name (examples: api.cuadra.ai, 127.0.0.1:8080)`);
      return;
    }
    if (requests.trim() === "" || !Number.isInteger(limit) || limit <= 0) {
      setError("Requests must be a whole number above 0");
      return;
    }
    if (windowSeconds.trim() === "" || !Number.isInteger(seconds) || seconds <= 0) {
      setError("The window must be a whole number of seconds above 0");
      return;
    }
    setError(undefined);
    setHost("");
    setRequests("");
    void update((s) => ({
      ...s,
      limits: [
        ...s.limits.filter((l) => l.host !== name),
        { host: name, limit, windowSeconds: seconds },
      ],
    }));
  };

  const remove = (name: string) => {
    void update((s) => ({ ...s, limits: s.limits.filter((l) => l.host !== name) }));
  };

  return (
    <section class="section" aria-labelledby="limits-heading">
      <h2 id="limits-heading">Limits</h2>
      <p class="hint">
        When a host sends rate-limit headers, they say what is left. Without them, the budget is
        estimated: requests are counted against the documented limit, or the one you set here.
      </p>
      <dl class="facts" data-testid="options-documented-limits">
        <dt>Cuadra</dt>
        <dd>
          {CUADRA_LIMITS.perUser} requests/min per user, {CUADRA_LIMITS.perOrganization}/min per
          organization (estimates count against the per-user limit)
        </dd>
        <dt>Casola</dt>
        <dd>documents no number: its budget is known only from its rate-limit headers</dd>
      </dl>
      <h3>Your limits</h3>
      {settings.limits.length === 0 ? (
        <p class="muted">None: documented limits apply.</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Limit</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {settings.limits.map((l) => (
              <tr key={l.host} data-testid="options-limit" data-host={l.host}>
                <td class="mono">{l.host}</td>
                <td>
                  {l.limit} requests per {l.windowSeconds} s
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Remove the limit of ${l.host}`}
                    onClick={() => remove(l.host)}
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="inline-form" onSubmit={add} noValidate>
        <label>
          Host of the limit
          <input
            type="text"
            placeholder="api.cuadra.ai"
            value={host}
            onInput={(e) => setHost(e.currentTarget.value)}
          />
        </label>
        <label>
          Requests
          <input
            type="number"
            min="1"
            step="1"
            class="narrow"
            value={requests}
            onInput={(e) => setRequests(e.currentTarget.value)}
          />
        </label>
        <label>
          Window (seconds)
          <input
            type="number"
            min="1"
            step="1"
            class="narrow"
            value={windowSeconds}
            onInput={(e) => setWindowSeconds(e.currentTarget.value)}
          />
        </label>
        <button type="submit">Set limit</button>
      </form>
      {error === undefined ? null : (
        <p class="message message-error" role="alert" data-testid="options-limit-error">
          {error}
        </p>
      )}
    </section>
  );
}
