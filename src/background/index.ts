/**
 * The service worker (Chrome) or background script (Firefox). It registers every listener
 * synchronously at the top level, as MV3 requires for the browser to wake it for an event.
 */

import { setBadge } from "../platform/action.js";
import { runtimeTransport } from "../platform/runtime-messaging.js";
import { sessionSlot } from "../platform/session-storage.js";
import { loadSettings, onSettingsChanged } from "../platform/settings-storage.js";
import { tabEvents } from "../platform/tabs.js";
import { webRequestEvents } from "../platform/web-request.js";
import { startBackground, systemClock } from "./background.js";
import type { BackgroundPorts } from "./ports.js";

/** The storage.session key the background's state (a TrafficState snapshot) lives under. */
const STATE_KEY = "ratelens.background";

/** Wiring only: the platform's adapters into the background's ports. */
const ports: BackgroundPorts = {
  webRequest: webRequestEvents,
  storage: sessionSlot(STATE_KEY),
  settings: { load: loadSettings, onChanged: onSettingsChanged },
  setBadge,
  tabs: tabEvents,
  transport: runtimeTransport(),
  clock: systemClock,
};
startBackground(ports);
