import type { Finding } from "../../core/finding.js";
import { recordsCaller } from "../../core/har/initiator.js";
import { plural, statusLabel } from "../../core/labels.js";
import { findingsByRule } from "../../core/report.js";
import type { SessionEntry } from "../../core/session.js";
import { pathOf } from "../../ui/format.js";
import type { PanelPorts } from "../ports.js";
import { CallerLink, NO_CALLER_NOTE } from "./caller-link.js";
import { FindingTag, SeverityLabel } from "./finding-tag.js";

export interface FindingsViewProps {
  findings: readonly Finding[];
  /** The request findings call `index` (an index, not a position in a list). */
  entryAt: (index: number) => SessionEntry | undefined;
  ports: PanelPorts;
  /** Shows request `index` in the Requests view. */
  onShowRequest: (index: number) => void;
}

function requestLabel(item: SessionEntry | undefined, index: number): string {
  if (item === undefined) return `#${index}`;
  const code = item.analysis.error?.code;
  return `#${index} ${item.entry.request.method} ${pathOf(item.entry.request.url)} ${statusLabel(
    item.status,
  )}${code ? ` ${code}` : ""}`;
}

function FindingItem({
  finding,
  entryAt,
  ports,
  onShowRequest,
}: { finding: Finding } & Omit<FindingsViewProps, "findings">) {
  return (
    <li
      class="finding"
      data-testid="finding"
      data-rule={finding.rule}
      data-severity={finding.severity}
    >
      <p class="finding-message">
        <FindingTag finding={finding} />{" "}
        <span data-testid="finding-message">{finding.message}</span>
      </p>
      <p class="advice">{finding.advice}</p>
      <div class="chain">
        <span class="chain-label">Requests:</span>
        {finding.entries.map((index, i) => (
          <span key={i} class="chain-step">
            {i === 0 ? null : (
              <span class="chain-arrow" aria-hidden="true">
                →
              </span>
            )}
            <button
              type="button"
              class="link"
              data-testid="chain-link"
              title="Show this request"
              onClick={() => onShowRequest(index)}
            >
              {requestLabel(entryAt(index), index)}
            </button>
          </span>
        ))}
      </div>
      {finding.initiator === undefined ? (
        <CallerUnknown entry={entryAt(finding.entries[finding.entries.length - 1] ?? -1)} />
      ) : (
        <div class="finding-caller">
          <span class="chain-label">Called from:</span>{" "}
          {finding.initiator.function === "" ? null : (
            <span class="frame-function">{finding.initiator.function} </span>
          )}
          <CallerLink
            ports={ports}
            url={finding.initiator.url}
            line={finding.initiator.line}
            column={finding.initiator.column}
          />
        </div>
      )}
    </li>
  );
}

/** Where the calling line would be: said only when the recording could never have it. */
function CallerUnknown({ entry }: { entry: SessionEntry | undefined }) {
  if (entry === undefined || recordsCaller(entry.entry)) return null;
  return (
    <div class="finding-caller note" data-testid="caller-unavailable">
      <span class="chain-label">Called from:</span> {NO_CALLER_NOTE}
    </div>
  );
}

/**
 * Findings grouped by rule, in the order every report shows them (the CLI's text, the Markdown):
 * the core's findingsByRule, by severity first, then the registry's order.
 */
export function FindingsView(props: FindingsViewProps) {
  const { findings } = props;
  if (findings.length === 0) {
    return (
      <p class="empty">No findings: every retry in this session followed the documented rules.</p>
    );
  }
  return (
    <div class="findings-view">
      {findingsByRule(findings).map(({ rule, findings: group }) => {
        return (
          <section key={rule.id} class="finding-group" aria-label={rule.id}>
            <h3 class="group-head">
              <FindingTag finding={{ rule: rule.id, severity: rule.severity }} />{" "}
              <SeverityLabel severity={rule.severity} />{" "}
              <span class="group-count">{plural(group.length, "finding")}</span>{" "}
              <span class="muted">{rule.summary}</span>
            </h3>
            <ul class="finding-list">
              {group.map((finding, i) => (
                <FindingItem
                  key={i}
                  finding={finding}
                  entryAt={props.entryAt}
                  ports={props.ports}
                  onShowRequest={props.onShowRequest}
                />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
