import type { Settings } from "../../settings/settings.js";
import { PresetToggles, usePresetToggle } from "../../ui/preset-toggles.js";
import type { OptionsPorts } from "../ports.js";
import type { UpdateSettings } from "../use-settings.js";

export interface PresetsSectionProps {
  settings: Settings;
  update: UpdateSettings;
  ports: Pick<OptionsPorts, "requestOrigins" | "removeOrigins">;
}

/** The providers offered as one click each: the browser is asked for their hosts first. */
export function PresetsSection({ settings, update, ports }: PresetsSectionProps) {
  const { busy, message, toggle } = usePresetToggle(ports, update, settings.hosts);
  return (
    <section class="section" aria-labelledby="presets-heading">
      <h2 id="presets-heading">Presets</h2>
      <p class="hint">
        Other APIs your app calls, read by their rate-limit headers. Turning one on asks the browser
        for permission to watch its hosts; it is on once allowed.
      </p>
      <PresetToggles on={settings.presets} busy={busy} message={message} onToggle={toggle} />
    </section>
  );
}
