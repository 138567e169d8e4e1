import { fileNameOf } from "../../core/labels.js";
import type { PanelPorts } from "../ports.js";

/**
 * Said where a request's calling line would be when the recording has no `_initiator` at all:
 * Chrome's DevTools records one for every request, Firefox's gives extensions none (and no other
 * extension API has the page's stack), so the line can only come from Chrome.
 */
export const NO_CALLER_NOTE =
  "The calling line is not in this recording: Chrome's DevTools records it for every request, Firefox does not give it to extensions. Open this page in Chrome to see the line.";

export interface CallerLinkProps {
  ports: PanelPorts;
  url: string;
  /** 1-based, as editors show it. */
  line: number;
  column: number;
}

/** file.js:12:5, opening the script in DevTools' Sources panel. */
export function CallerLink({ ports, url, line, column }: CallerLinkProps) {
  const label = `${fileNameOf(url)}:${line}:${column}`;
  return (
    <button
      type="button"
      class="link"
      data-testid="caller-link"
      title={`${url}:${line}:${column}`}
      aria-label={`Open ${label} in Sources`}
      onClick={() => ports.openResource(url, line, column)}
    >
      {label}
    </button>
  );
}
