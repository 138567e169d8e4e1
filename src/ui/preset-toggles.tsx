import { useState } from "preact/hooks";
import { HostTable } from "../core/hosts.js";
import { PRESETS, type Preset, type PresetId, presetOrigins } from "../core/presets.js";
import type { HostMapping } from "../core/types.js";
import { type Settings, withPreset } from "../settings/settings.js";
import { errorMessage } from "./error-message.js";

/** What turning a preset on or off needs of the browser: its host permissions, as match patterns. */
export interface PresetPermissions {
  /** Resolves to whether the user allowed it; called straight from the click. */
  requestOrigins(origins: string[]): Promise<boolean>;
  removeOrigins(origins: string[]): Promise<void>;
}

/** Applies a change to the latest settings and stores it; resolves to whether it was stored. */
export type SaveChange = (change: (settings: Settings) => Settings) => Promise<boolean>;

export type PresetMessage = { kind: "granted" | "refused" | "error"; text: string };

const hostsOf = (preset: Preset) => preset.hosts.map((h) => h.host).join(", ");

/**
 * Whether turning `preset` off may give its permissions back: not while one of the user's own
 * hosts lies on them (the browser's grant does not tell the two apart).
 */
function mayRemove(preset: Preset, userHosts: readonly HostMapping[]): boolean {
  const table = new HostTable(preset.hosts, []);
  return !userHosts.some((h) => table.isApiHost(`https://${h.host.replace(/:\d+$/, "")}/`));
}

/**
 * One click turns a preset on: the browser is asked for its hosts first, within the click, and
 * the preset is stored only once allowed, so that the badge and popup can watch what the panel
 * analyses. A refusal leaves it off and says so. Off stores it off and gives the hosts back.
 */
export function usePresetToggle(
  permissions: PresetPermissions,
  save: SaveChange,
  userHosts: readonly HostMapping[],
) {
  const [busy, setBusy] = useState<PresetId | undefined>(undefined);
  const [message, setMessage] = useState<PresetMessage | undefined>(undefined);

  const turnOn = (preset: Preset) => {
    // Asked first, before any await: browsers grant host permissions only within a user gesture.
    let asked: Promise<boolean>;
    try {
      asked = permissions.requestOrigins(presetOrigins(preset));
    } catch (error) {
      asked = Promise.reject(error);
    }
    setBusy(preset.id);
    setMessage(undefined);
    void asked
      .then(
        async (granted): Promise<PresetMessage | undefined> => {
          if (!granted)
            return {
              kind: "refused",
              text: `Permission refused: ${preset.name} stays off. Ratelens turns a provider on only with the browser's permission for ${hostsOf(preset)}.`,
            };
          const saved = await save((s) => ({
            ...s,
            presets: withPreset(s.presets, preset.id, true),
          }));
          return saved
            ? {
                kind: "granted",
                text: `${preset.name} is on: Ratelens analyses ${hostsOf(preset)}, and the toolbar badge and popup watch it.`,
              }
            : undefined;
        },
        (error: unknown): PresetMessage => ({
          kind: "error",
          text: `${preset.name} stays off: ${errorMessage(error)}`,
        }),
      )
      .then((outcome) => {
        setBusy(undefined);
        setMessage(outcome);
      });
  };

  const turnOff = (preset: Preset) => {
    setMessage(undefined);
    void save((s) => ({ ...s, presets: withPreset(s.presets, preset.id, false) })).then((saved) => {
      if (!saved || !mayRemove(preset, userHosts)) return;
      permissions.removeOrigins(presetOrigins(preset)).catch((error: unknown) =>
        setMessage({
          kind: "error",
          text: `${preset.name} is off, but its permission was not given back: ${errorMessage(error)}`,
        }),
      );
    });
  };

  const toggle = (preset: Preset, on: boolean) => (on ? turnOn(preset) : turnOff(preset));
  return { busy, message, toggle };
}

export interface PresetTogglesProps {
  /** The presets on, as stored. */
  on: readonly PresetId[];
  busy: PresetId | undefined;
  message: PresetMessage | undefined;
  onToggle(preset: Preset, on: boolean): void;
}

/** A switch per provider preset, with the hosts it watches, and what the last click did. */
export function PresetToggles({ on, busy, message, onToggle }: PresetTogglesProps) {
  return (
    <>
      <ul class="presets" aria-label="Presets">
        {PRESETS.map((preset) => {
          const isOn = on.includes(preset.id);
          return (
            <li
              key={preset.id}
              class="preset"
              data-testid="preset"
              data-preset={preset.id}
              data-on={isOn ? "true" : "false"}
            >
              <label>
                <input
                  type="checkbox"
                  role="switch"
                  aria-checked={isOn}
                  checked={isOn}
                  disabled={busy === preset.id}
                  onChange={(event) => {
                    // The switch shows what is stored: it moves once the change is allowed and saved.
                    event.currentTarget.checked = isOn;
                    onToggle(preset, !isOn);
                  }}
                />{" "}
                {preset.name}
              </label>{" "}
              <code class="preset-hosts">{hostsOf(preset)}</code>
            </li>
          );
        })}
      </ul>
      {message === undefined ? null : (
        <p
          class={`message message-${message.kind}`}
          role={message.kind === "granted" ? "status" : "alert"}
          data-testid="preset-message"
          data-kind={message.kind}
        >
          {message.text}
        </p>
      )}
    </>
  );
}
