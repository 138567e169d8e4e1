import type { SaveStatus } from "../use-settings.js";

/** "Saved" after each save, or why it failed, in one line. */
export function SaveStatusLine({ status }: { status: SaveStatus }) {
  switch (status.kind) {
    case "idle":
      return <p class="status" aria-live="polite" />;
    case "saving":
      return (
        <p class="status muted" aria-live="polite">
          Saving…
        </p>
      );
    case "saved":
      return (
        <p class="status status-saved" aria-live="polite" data-testid="options-saved">
          Saved
        </p>
      );
    case "failed":
      return (
        <p class="status failure" role="alert" data-testid="options-error" title={status.message}>
          Not saved: {status.message}
        </p>
      );
  }
}
