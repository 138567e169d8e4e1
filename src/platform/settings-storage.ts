import { parseSettings, type Settings, toStored } from "../settings/settings.js";
import { browser } from "./browser.js";

const KEY = "settings";

export async function loadSettings(): Promise<Settings> {
  const stored = await browser.storage.local.get(KEY);
  return parseSettings(stored[KEY]);
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [KEY]: toStored(settings) });
}

/** Calls `listener` whenever another page (options, another panel) changes the settings. */
export function onSettingsChanged(listener: (settings: Settings) => void): () => void {
  const handler = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === "local" && KEY in changes) listener(parseSettings(changes[KEY]?.newValue));
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}
