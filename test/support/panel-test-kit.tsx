import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { render, screen, waitFor } from "@testing-library/preact";
import { expect, vi } from "vitest";
import { App } from "../../src/panel/app.js";
import type { PanelPorts, ThemeName } from "../../src/panel/ports.js";
import { PanelStore } from "../../src/panel/store.js";
import { parseSettings } from "../../src/settings/settings.js";

/** Test support for the panel's DOM tests: a store, fake ports and the App around them. */

// A path, not a URL: happy-dom replaces the global URL class with its own.
export const SAMPLE_HAR = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), "../fixtures/sample-session.har"),
  "utf8",
);

export interface FakePorts extends PanelPorts {
  openResource: ReturnType<typeof vi.fn<PanelPorts["openResource"]>>;
  save: ReturnType<typeof vi.fn<PanelPorts["save"]>>;
  saveSettings: ReturnType<typeof vi.fn<PanelPorts["saveSettings"]>>;
  requestOrigins: ReturnType<typeof vi.fn<PanelPorts["requestOrigins"]>>;
  removeOrigins: ReturnType<typeof vi.fn<PanelPorts["removeOrigins"]>>;
}

/**
 * Fake ports; saved settings reach the store as storage's change event would bring them. The
 * App is rendered around a store the test feeds: DevTools' network here lists nothing.
 */
export function fakePorts(store?: PanelStore): FakePorts {
  const never = () => () => {};
  return {
    openResource: vi.fn<PanelPorts["openResource"]>(),
    save: vi.fn<PanelPorts["save"]>(),
    saveSettings: vi.fn<PanelPorts["saveSettings"]>((settings) => store?.configure(settings)),
    loadSettings: async () => parseSettings(undefined),
    requestOrigins: vi.fn<PanelPorts["requestOrigins"]>(async () => true),
    removeOrigins: vi.fn<PanelPorts["removeOrigins"]>(async () => undefined),
    onSettingsChanged: never,
    network: {
      onRequestFinished: never,
      getHar: async () => [],
      onNavigated: never,
    },
    reportPanel: async () => ({ ok: true }),
    themeName: () => "default",
    onThemeChanged: never,
  };
}

export function renderPanel(options: { theme?: ThemeName; now?: () => number } = {}) {
  const store = new PanelStore();
  const ports = fakePorts(store);
  const result = render(
    <App store={store} ports={ports} theme={options.theme ?? "default"} now={options.now} />,
  );
  return { store, ports, ...result };
}

export function rows(): HTMLElement[] {
  return screen.queryAllByTestId("request-row");
}

export function row(index: number): HTMLElement {
  const found = rows().find((r) => r.dataset.index === String(index));
  if (found === undefined) throw new Error(`no row ${index} is rendered`);
  return found;
}

export function shownIndices(): number[] {
  return rows().map((r) => Number(r.dataset.index));
}

/** Imports the sample session (10 API requests) and waits for its rows. */
export async function importSample(store: PanelStore, text = SAMPLE_HAR): Promise<void> {
  const result = store.importHar("sample-session.har", text);
  expect(result.ok).toBe(true);
  await waitFor(() => expect(rows()).toHaveLength(10));
}
