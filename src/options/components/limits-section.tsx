import { useState } from "preact/hooks";
import { CUADRA_LIMITS } from "../../core/catalog/cuadra.js";
import type { Settings } from "../../settings/settings.js";
import { LimitForm } from "../../ui/limit-form.js";
import type { UpdateSettings } from "../use-settings.js";

export interface LimitsSectionProps {
  settings: Settings;
  update: UpdateSettings;
}

/** What each provider documents, and the user's own limit per host on top. */
export function LimitsSection({ settings, update }: LimitsSectionProps) {
  const [error, setError] = useState<string | undefined>(undefined);

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
      <LimitForm
        layout="labelled"
        onInvalid={setError}
        onSet={(limit) => {
          setError(undefined);
          void update((s) => ({
            ...s,
            limits: [...s.limits.filter((l) => l.host !== limit.host), limit],
          }));
        }}
      />
      {error === undefined ? null : (
        <p class="message message-error" role="alert" data-testid="options-limit-error">
          {error}
        </p>
      )}
    </section>
  );
}
