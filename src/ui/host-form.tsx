import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { type HostMapping, PROVIDER_IDS, type ProviderId } from "../core/types.js";
import { checkHost } from "../settings/settings.js";

/**
 * How a surface shows the form: the panel's compact row labels its fields for screen readers
 * only; the options page labels them on screen and says what each provider reads.
 */
export type FormLayout = "row" | "labelled";

const PROVIDER_NOTES: Record<ProviderId, string> = {
  casola: "Casola's error codes",
  cuadra: "Cuadra's error codes",
  problem: "RFC 9457 problem details",
  generic: "status and common fields only",
};

const LABELS = {
  row: { host: "Host to analyse", provider: "Read its errors as" },
  labelled: { host: "Host", provider: "Provider" },
} as const;

/** A field labelled on screen (`labelled`) or for screen readers only (`row`). */
export function Field({
  layout,
  label,
  children,
}: {
  layout: FormLayout;
  label: string;
  children: ComponentChildren;
}) {
  if (layout === "row") return <>{children}</>;
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child each form passes in.
    <label>
      {label}
      {children}
    </label>
  );
}

export interface HostFormProps {
  layout: FormLayout;
  /**
   * Called within the click with a checked host: an options page asks the browser for its
   * permission here, which browsers grant only within the user's gesture.
   */
  onAdd(mapping: HostMapping): void;
  /** Why what was typed is not a host the user may add (settings' checkHost). */
  onInvalid(error: string): void;
}

/** Adds a host of the user's, read as the provider chosen: the panel's Hosts view and options. */
export function HostForm({ layout, onAdd, onInvalid }: HostFormProps) {
  const [text, setText] = useState("");
  const [provider, setProvider] = useState<ProviderId>("casola");
  const labels = LABELS[layout];
  const aria = (label: string) => (layout === "row" ? label : undefined);

  const add = (event: Event) => {
    event.preventDefault();
    const checked = checkHost(text);
    if (!checked.ok) {
      onInvalid(checked.error);
      return;
    }
    setText("");
    onAdd({ host: checked.value, provider });
  };

  return (
    <form class="inline-form" onSubmit={(e) => e.preventDefault()}>
      <Field layout={layout} label={labels.host}>
        <input
          type="text"
          placeholder="staging.casola.ai or 127.0.0.1:8080"
          aria-label={aria(labels.host)}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </Field>
      <Field layout={layout} label={labels.provider}>
        <select
          aria-label={aria(labels.provider)}
          value={provider}
          onChange={(e) => setProvider(e.currentTarget.value as ProviderId)}
        >
          {PROVIDER_IDS.map((id) => (
            <option key={id} value={id}>
              {layout === "row" ? id : `${id} (${PROVIDER_NOTES[id]})`}
            </option>
          ))}
        </select>
      </Field>
      {/* A click, not the form's submit: the permission prompt must come from the user's gesture. */}
      <button type="submit" onClick={add}>
        Add host
      </button>
    </form>
  );
}
