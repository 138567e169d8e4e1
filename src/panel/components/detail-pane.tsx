import { useMemo } from "preact/hooks";
import { formatClock } from "../../core/clock-time.js";
import type { EntryExplanation } from "../../core/explain/explain-entry.js";
import { explainEntry } from "../../core/explain/explain-entry.js";
import type { Issue } from "../../core/explain/validation-issues.js";
import { isErrorStatus } from "../../core/har/exchange.js";
import { statusLabel } from "../../core/labels.js";
import type { EntryOrigin, SessionEntry } from "../../core/session.js";
import type { DecodedError } from "../../core/types.js";
import { formatDuration } from "../../ui/format.js";
import { type BodyView, bodyView } from "../body.js";
import { headerLines } from "../header-lines.js";
import type { PanelPorts } from "../ports.js";
import { CallerLink, NO_CALLER_NOTE } from "./caller-link.js";
import { FindingTag } from "./finding-tag.js";
import { JsonTree } from "./json-tree.js";

const ORIGIN_NOTES: Record<EntryOrigin, string | undefined> = {
  live: undefined,
  imported: undefined,
  backfill: "finished before the panel opened",
  unfinished: "body not read by the page (DevTools never finished this request)",
};

function Details({ value, issues }: { value: unknown; issues: Issue[] | undefined }) {
  if (issues === undefined) return <JsonTree value={value} />;
  return (
    <ul class="issues">
      {issues.map((issue, i) => (
        // Issues have no identity of their own; their order is the server's.
        <li key={i}>
          {issue.field === "" ? null : <code class="issue-field">{issue.field}</code>}
          {issue.field === "" ? null : ": "}
          {issue.message}
        </li>
      ))}
    </ul>
  );
}

function DecodedErrorSection({
  error,
  issues,
}: {
  error: DecodedError;
  issues: Issue[] | undefined;
}) {
  const code =
    error.code ?? (error.status > 0 ? `HTTP ${error.status}` : statusLabel(error.status));
  return (
    <section class="detail-section decoded" aria-label="Decoded error">
      <div class="decoded-head">
        <code class="error-code" data-testid="detail-code">
          {code}
        </code>
        <span
          class={`badge ${error.retryable ? "badge-retryable" : "badge-not-retryable"}`}
          data-testid="retryable-badge"
        >
          {error.retryable ? "retryable" : "not retryable"}
        </span>
        {error.provider === null ? null : <span class="provider">{error.provider}</span>}
      </div>
      {error.title === null ? null : <p class="error-title">{error.title}</p>}
      {error.message === null || error.message === error.title ? null : (
        <p class="error-message">{error.message}</p>
      )}
      <p class="advice" data-testid="detail-advice">
        {error.advice}
      </p>
      <dl class="facts">
        {error.retryAfterSeconds === undefined ? null : (
          <>
            <dt>Retry after</dt>
            <dd>{formatDuration(error.retryAfterSeconds * 1000)}</dd>
          </>
        )}
        {error.credits === undefined ? null : (
          <>
            <dt>Credits</dt>
            <dd>
              {error.credits.required} required, {error.credits.available} available
              {error.credits.required > error.credits.available
                ? ` (${error.credits.required - error.credits.available} short)`
                : ""}
            </dd>
          </>
        )}
        {error.scope === undefined ? null : (
          <>
            <dt>Missing scope</dt>
            <dd>
              <code>{error.scope}</code>
            </dd>
          </>
        )}
      </dl>
      {error.details === undefined ? null : (
        <div class="error-details">
          <h4>Details</h4>
          <Details value={error.details} issues={issues} />
        </div>
      )}
      {error.contract.length === 0 ? null : (
        <div class="contract">
          <h4>Deviations from the documented contract</h4>
          <ul>
            {error.contract.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function HeaderTable({
  title,
  headers,
}: {
  title: string;
  headers: readonly { name: string; value: string }[];
}) {
  return (
    <section class="detail-section">
      <h3>{title}</h3>
      {headers.length === 0 ? (
        <p class="muted">None recorded.</p>
      ) : (
        <table class="headers">
          <tbody>
            {headers.map((header, i) => (
              <tr key={i}>
                <th scope="row">{header.name}</th>
                <td>{header.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Body({ title, view }: { title: string; view: BodyView }) {
  return (
    <section class="detail-section">
      <h3>{title}</h3>
      {view.kind === "none" ? <p class="muted">{view.note}</p> : null}
      {view.kind === "json" ? <JsonTree value={view.value} /> : null}
      {view.kind === "text" ? (
        <>
          {view.note === undefined ? null : <p class="note">{view.note}</p>}
          <pre class="body-text">{view.text}</pre>
        </>
      ) : null}
    </section>
  );
}

function CallerStackSection({
  explained,
  ports,
}: {
  explained: EntryExplanation;
  ports: PanelPorts;
}) {
  const frames = explained.stack;
  if (frames.length === 0 && !explained.callerRecorded) {
    return (
      <section class="detail-section">
        <h3>Initiator</h3>
        <p class="note" data-testid="caller-unavailable">
          {NO_CALLER_NOTE}
        </p>
      </section>
    );
  }
  if (frames.length === 0) return null;
  return (
    <section class="detail-section">
      <h3>Initiator</h3>
      <ol class="stack">
        {frames.map((frame, i) => (
          <li key={i} class={frame.asyncBoundary === undefined ? "" : "async-start"}>
            {frame.asyncBoundary === undefined ? null : (
              <span class="async-label">{frame.asyncBoundary}</span>
            )}
            <span class="frame-function">
              {frame.function === "" ? "(anonymous)" : frame.function}
            </span>{" "}
            <CallerLink ports={ports} url={frame.url} line={frame.line} column={frame.column} />
          </li>
        ))}
      </ol>
    </section>
  );
}

export interface DetailPaneProps {
  item: SessionEntry;
  ports: PanelPorts;
  onClose: () => void;
}

/** Everything about one request: the decoded error first, then what the headers say, then raw data. */
export function DetailPane({ item, ports, onClose }: DetailPaneProps) {
  const { entry, analysis, origin } = item;
  const explained = useMemo(
    () => explainEntry(entry, item.index, analysis.error),
    [entry, item.index, analysis.error],
  );
  const headers = useMemo(() => headerLines(explained.headers), [explained]);
  const responseBody = useMemo(() => bodyView(explained.responseBody), [explained]);
  const requestBody = useMemo(
    () => (explained.requestBody === undefined ? undefined : bodyView(explained.requestBody)),
    [explained],
  );
  const note = ORIGIN_NOTES[origin];
  const status = item.status;
  return (
    <aside class="detail" data-testid="detail" aria-label="Request details">
      <header class="detail-head">
        <span class="method">{entry.request.method}</span>
        <span class="detail-url" title={entry.request.url}>
          {entry.request.url}
        </span>
        <button type="button" class="icon-button" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </header>
      <p class="detail-meta">
        <span class={isErrorStatus(status) ? "status status-error" : "status"}>
          {status > 0 ? `${status} ${entry.response.statusText ?? ""}`.trim() : statusLabel(status)}
        </span>
        {" · "}
        started {formatClock(explained.start)}
        {" · "}
        {formatDuration(explained.end - explained.start)}
        {" · "}#{item.index}
      </p>
      {note === undefined ? null : <p class="note origin-note">{note}</p>}
      {item.bodyReleased ? (
        <p class="note" data-testid="body-released">
          Body released to save memory: only the newest requests keep theirs (options page). The
          decoded error and findings were read from it before.
        </p>
      ) : null}
      {analysis.error === undefined ? null : (
        <DecodedErrorSection error={analysis.error} issues={explained.issues} />
      )}
      {item.findings.length === 0 ? null : (
        <section class="detail-section">
          <h3>Findings</h3>
          <ul class="detail-findings">
            {item.findings.map((finding, i) => (
              <li key={i}>
                <FindingTag finding={finding} /> {finding.message}
              </li>
            ))}
          </ul>
        </section>
      )}
      {headers.length === 0 ? null : (
        <section class="detail-section">
          <h3>Rate limits and retry hints</h3>
          <ul class="explained">
            {headers.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      )}
      <CallerStackSection explained={explained} ports={ports} />
      <HeaderTable title="Response headers" headers={entry.response.headers ?? []} />
      <HeaderTable title="Request headers" headers={entry.request.headers ?? []} />
      {requestBody === undefined ? null : <Body title="Request body" view={requestBody} />}
      <Body title="Response body" view={responseBody} />
    </aside>
  );
}
