import type { Settings } from "../../settings/settings.js";
import type { UpdateSettings } from "../use-settings.js";

/** How a newly opened DevTools panel starts. */
export function PanelSection({ settings, update }: { settings: Settings; update: UpdateSettings }) {
  return (
    <section class="section" aria-labelledby="panel-heading">
      <h2 id="panel-heading">Panel</h2>
      <label class="check">
        <input
          type="checkbox"
          checked={settings.preserveLog}
          onChange={(e) => {
            const preserveLog = e.currentTarget.checked;
            void update((s) => ({ ...s, preserveLog }));
          }}
        />
        Preserve log by default
      </label>
      <p class="hint">
        A new Ratelens panel keeps its requests across page loads and navigations; its toolbar can
        still switch this off for one panel.
      </p>
    </section>
  );
}
