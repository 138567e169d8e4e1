import { useState } from "preact/hooks";
import { CUADRA_LIMITS } from "../../core/catalog/cuadra.js";
import { type Settings, withLimit, withoutLimit } from "../../settings/settings.js";
import { LimitForm } from "../../ui/limit-form.js";
import { LimitList } from "../../ui/setting-lists.js";
import type { UpdateSettings } from "../use-settings.js";

export interface LimitsSectionProps {
  settings: Settings;
  update: UpdateSettings;
}

/** What each provider documents, and the user's own limit per host on top. */
export function LimitsSection({ settings, update }: LimitsSectionProps) {
  const [error, setError] = useState<string | undefined>(undefined);

  const remove = (name: string) => {
    void update((s) => ({ ...s, limits: withoutLimit(s.limits, name) }));
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
      <LimitList surface="options" limits={settings.limits} onRemove={remove} />
      <LimitForm
        layout="labelled"
        onInvalid={setError}
        onSet={(limit) => {
          setError(undefined);
          void update((s) => ({
            ...s,
            limits: withLimit(s.limits, limit),
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
