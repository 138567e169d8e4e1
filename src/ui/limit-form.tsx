import { useState } from "preact/hooks";
import type { LimitSetting } from "../core/types.js";
import { checkLimit } from "../settings/settings.js";
import { Field, type FormLayout } from "./host-form.js";

const LABELS = {
  row: { host: "Host of the limit", requests: "Requests per window", window: "Window in seconds" },
  labelled: { host: "Host of the limit", requests: "Requests", window: "Window (seconds)" },
} as const;

export interface LimitFormProps {
  layout: FormLayout;
  onSet(limit: LimitSetting): void;
  /** Why the fields do not make a limit (settings' checkLimit). */
  onInvalid(error: string): void;
}

interface CountFieldProps {
  layout: FormLayout;
  label: string;
  placeholder?: string;
  value: string;
  onValue(value: string): void;
}

/** A whole number of at least 1 (the limit's requests, its window), narrow where labelled. */
function CountField({ layout, label, placeholder, value, onValue }: CountFieldProps) {
  return (
    <Field layout={layout} label={label}>
      <input
        type="number"
        min="1"
        step="1"
        class={layout === "row" ? undefined : "narrow"}
        placeholder={placeholder}
        aria-label={layout === "row" ? label : undefined}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
      />
    </Field>
  );
}

/** Sets the user's rate limit for a host: the panel's Hosts view and the options page. */
export function LimitForm({ layout, onSet, onInvalid }: LimitFormProps) {
  const [host, setHost] = useState("");
  const [requests, setRequests] = useState("");
  const [windowSeconds, setWindowSeconds] = useState("60");
  const labels = LABELS[layout];
  const aria = (label: string) => (layout === "row" ? label : undefined);

  const set = (event: Event) => {
    event.preventDefault();
    const checked = checkLimit(host, requests, windowSeconds);
    if (!checked.ok) {
      onInvalid(checked.error);
      return;
    }
    setHost("");
    setRequests("");
    onSet(checked.value);
  };

  return (
    <form class="inline-form" onSubmit={set} noValidate>
      <Field layout={layout} label={labels.host}>
        <input
          type="text"
          placeholder={layout === "row" ? "host" : "api.cuadra.ai"}
          aria-label={aria(labels.host)}
          value={host}
          onInput={(e) => setHost(e.currentTarget.value)}
        />
      </Field>
      <CountField
        layout={layout}
        label={labels.requests}
        placeholder={layout === "row" ? "requests" : undefined}
        value={requests}
        onValue={setRequests}
      />
      <CountField
        layout={layout}
        label={labels.window}
        value={windowSeconds}
        onValue={setWindowSeconds}
      />
      <button type="submit">Set limit</button>
    </form>
  );
}
