import { useRef } from "preact/hooks";
import type { ExportKind } from "../exports.js";

export interface ToolbarProps {
  preserveLog: boolean;
  onPreserveLog: (on: boolean) => void;
  onClear: () => void;
  onImport: (file: File) => void;
  onExport: (kind: ExportKind) => void;
  canExport: boolean;
  /** "Live capture" or the imported file's name. */
  source: string;
}

export function Toolbar(props: ToolbarProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <header class="toolbar">
      <label class="check" title="Keep the requests when the page navigates">
        <input
          type="checkbox"
          checked={props.preserveLog}
          onChange={(event) =>
            props.onPreserveLog((event.currentTarget as HTMLInputElement).checked)
          }
        />
        Preserve log
      </label>
      <button type="button" onClick={props.onClear} title="Clear the requests and findings">
        Clear
      </button>
      <span class="divider" aria-hidden="true" />
      <button
        type="button"
        onClick={() => fileInput.current?.click()}
        title="Open a HAR file (or drop one on the panel)"
      >
        Import HAR…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept=".har,application/json"
        class="file-input"
        aria-label="HAR file to import"
        tabIndex={-1}
        onChange={(event) => {
          const input = event.currentTarget as HTMLInputElement;
          const file = input.files?.[0];
          // Cleared, so choosing the same file again imports it again.
          input.value = "";
          if (file !== undefined) props.onImport(file);
        }}
      />
      <span class="divider" aria-hidden="true" />
      <span class="toolbar-label">Export:</span>
      <button
        type="button"
        disabled={!props.canExport}
        onClick={() => props.onExport("har")}
        title="The session as a HAR file, with Authorization, cookies and API keys redacted"
      >
        HAR (redacted)
      </button>
      <button
        type="button"
        disabled={!props.canExport}
        onClick={() => props.onExport("json")}
        title="The findings as JSON, as `ratelens analyze --format json` prints them"
      >
        Findings JSON
      </button>
      <button
        type="button"
        disabled={!props.canExport}
        onClick={() => props.onExport("markdown")}
        title="A Markdown report to paste into an issue"
      >
        Markdown
      </button>
      <span class="source" title={props.source}>
        {props.source}
      </span>
    </header>
  );
}
