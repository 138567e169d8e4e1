import { DataSection } from "./components/data-section.js";
import { HostsSection } from "./components/hosts-section.js";
import { LimitsSection } from "./components/limits-section.js";
import { PagesSection } from "./components/pages-section.js";
import { PanelSection } from "./components/panel-section.js";
import { PresetsSection } from "./components/presets-section.js";
import { SaveStatusLine } from "./components/save-status.js";
import type { OptionsPorts } from "./ports.js";
import { useSettings } from "./use-settings.js";

export interface OptionsAppProps {
  ports: OptionsPorts;
}

/** The options page: hosts, providers, limits, the panel's defaults and what is kept, each saved at once. */
export function OptionsApp({ ports }: OptionsAppProps) {
  const { settings, loadError, status, update } = useSettings(ports);
  return (
    <main class="ratelens-page options">
      <header class="options-head">
        <h1>Ratelens options</h1>
        <SaveStatusLine status={status} />
      </header>
      {loadError !== undefined ? (
        <p class="failure" role="alert" data-testid="options-error" title={loadError}>
          Could not load the settings: {loadError}
        </p>
      ) : settings === undefined ? (
        <p class="muted">Loading…</p>
      ) : (
        <>
          <HostsSection settings={settings} update={update} ports={ports} />
          <PresetsSection settings={settings} update={update} ports={ports} />
          <PagesSection ports={ports} />
          <LimitsSection settings={settings} update={update} />
          <PanelSection settings={settings} update={update} />
          <DataSection settings={settings} update={update} />
        </>
      )}
    </main>
  );
}
