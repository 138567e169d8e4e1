import { fileNameOf } from "../../core/labels.js";
import type { PanelPorts } from "../ports.js";

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
