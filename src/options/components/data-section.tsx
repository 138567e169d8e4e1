import { useEffect, useState } from "preact/hooks";
import {
  BODIES_KEPT,
  checkBodiesKept,
  checkRetentionMinutes,
  RETENTION_MINUTES,
  type Settings,
} from "../../settings/settings.js";
import type { UpdateSettings } from "../use-settings.js";

/** How long the background keeps what it saw, and what it never keeps. */
export function DataSection({ settings, update }: { settings: Settings; update: UpdateSettings }) {
  const [draft, setDraft] = useState(String(settings.retentionMinutes));
  const [error, setError] = useState<string | undefined>(undefined);
  // What is stored wins when it changes: after a save, or a failed one put back.
  useEffect(() => setDraft(String(settings.retentionMinutes)), [settings.retentionMinutes]);

  const commit = (text: string) => {
    const checked = checkRetentionMinutes(text);
    if (!checked.ok) {
      setError(`${checked.error}; still ${settings.retentionMinutes}`);
      return;
    }
    setError(undefined);
    if (checked.value !== settings.retentionMinutes)
      void update((s) => ({ ...s, retentionMinutes: checked.value }));
  };

  const [bodiesDraft, setBodiesDraft] = useState(String(settings.bodiesKept));
  const [bodiesError, setBodiesError] = useState<string | undefined>(undefined);
  useEffect(() => setBodiesDraft(String(settings.bodiesKept)), [settings.bodiesKept]);
  const commitBodies = (text: string) => {
    const checked = checkBodiesKept(text);
    if (!checked.ok) {
      setBodiesError(`${checked.error}; still ${settings.bodiesKept}`);
      return;
    }
    setBodiesError(undefined);
    if (checked.value !== settings.bodiesKept)
      void update((s) => ({ ...s, bodiesKept: checked.value }));
  };

  return (
    <section class="section" aria-labelledby="data-heading">
      <h2 id="data-heading">Data</h2>
      <label class="field">
        Keep traffic for (minutes)
        <input
          type="number"
          min={RETENTION_MINUTES.min}
          max={RETENTION_MINUTES.max}
          step="1"
          class="narrow"
          value={draft}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onChange={(e) => commit(e.currentTarget.value)}
        />
      </label>
      {error === undefined ? null : (
        <p class="message message-error" role="alert" data-testid="options-retention-error">
          {error}
        </p>
      )}
      <p class="hint">
        How long the background remembers each API host's requests (times, statuses, error codes,
        rate-limit figures) for the popup and the toolbar badge. Nothing leaves this machine, and
        tokens and cookies are never stored.
      </p>
      <label class="field">
        Panel: keep bodies of the newest (requests)
        <input
          type="number"
          min={BODIES_KEPT.min}
          max={BODIES_KEPT.max}
          step="1"
          value={bodiesDraft}
          onInput={(e) => setBodiesDraft(e.currentTarget.value)}
          onChange={(e) => commitBodies(e.currentTarget.value)}
        />
      </label>
      {bodiesError === undefined ? null : (
        <p class="message message-error" role="alert" data-testid="options-bodies-error">
          {bodiesError}
        </p>
      )}
      <p class="hint">
        In a long session the DevTools panel releases the bodies of older requests to save memory,
        and says so; their status, headers, decoded error and findings stay.
      </p>
    </section>
  );
}
