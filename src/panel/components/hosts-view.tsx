import { useRef, useState } from "preact/hooks";
import {
  type Settings,
  withHost,
  withLimit,
  withoutHost,
  withoutLimit,
} from "../../settings/settings.js";
import { HostForm } from "../../ui/host-form.js";
import { LimitForm } from "../../ui/limit-form.js";
import { type PresetPermissions, PresetToggles, usePresetToggle } from "../../ui/preset-toggles.js";
import { HostList, LimitList } from "../../ui/setting-lists.js";

export interface HostsViewProps {
  settings: Settings;
  /** Stores the new settings; the panel re-analyses its entries when they land. */
  onSave(settings: Settings): void;
  permissions: PresetPermissions;
}

/**
 * The hosts Ratelens analyses: the documented API hosts, plus the user's own (a staging host, a
 * proxy, a mock on 127.0.0.1:PORT), each read as a provider, and rate limits for hosts that send
 * no rate-limit headers.
 */
export function HostsView({ settings, onSave, permissions }: HostsViewProps) {
  const [error, setError] = useState<string | undefined>(undefined);
  // A preset is saved after the browser's prompt: onto the settings as they are by then.
  const latest = useRef(settings);
  latest.current = settings;
  const presets = usePresetToggle(
    permissions,
    (change) => {
      const next = change(latest.current);
      latest.current = next;
      onSave(next);
      return Promise.resolve(true);
    },
    settings.hosts,
  );

  return (
    <div class="hosts-view" data-testid="hosts-view">
      <section>
        <h2>API hosts</h2>
        <p class="hint">
          Requests to these hosts are analysed; all other traffic is ignored and never stored.
        </p>
        <HostList
          surface="panel"
          hosts={settings.hosts}
          onRemove={(host) => onSave({ ...settings, hosts: withoutHost(settings.hosts, host) })}
        />
        <HostForm
          layout="row"
          onInvalid={setError}
          onAdd={(mapping) => {
            setError(undefined);
            onSave({ ...settings, hosts: withHost(settings.hosts, mapping) });
          }}
        />
      </section>
      <section>
        <h2>Presets</h2>
        <p class="hint">
          Other APIs your app calls, read by their rate-limit headers: analysed here as soon as one
          is on. The browser is asked first, so that the toolbar badge and popup watch it too.
        </p>
        <PresetToggles
          on={settings.presets}
          busy={presets.busy}
          message={presets.message}
          onToggle={presets.toggle}
        />
      </section>
      <section>
        <h2>Rate limits</h2>
        <p class="hint">
          For hosts that send no rate-limit headers: the budget is then estimated against this limit
          instead of the documented one.
        </p>
        <LimitList
          surface="panel"
          limits={settings.limits}
          onRemove={(host) => onSave({ ...settings, limits: withoutLimit(settings.limits, host) })}
        />
        <LimitForm
          layout="row"
          onInvalid={setError}
          onSet={(limit) => {
            setError(undefined);
            onSave({ ...settings, limits: withLimit(settings.limits, limit) });
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
