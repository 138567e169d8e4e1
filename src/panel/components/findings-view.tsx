import { useState } from "preact/hooks";
import type { Chain } from "../../core/chains.js";
import type { Finding } from "../../core/finding.js";
import { recordsCaller } from "../../core/har/initiator.js";
import { plural, statusLabel } from "../../core/labels.js";
import { findingsByRule } from "../../core/report.js";
import type { SessionEntry } from "../../core/session.js";
import { costText } from "../../ui/cost.js";
import { pathOf } from "../../ui/format.js";
import type { PanelPorts } from "../ports.js";
import { CallerLink, NO_CALLER_NOTE } from "./caller-link.js";
import { FindingTag, SeverityLabel } from "./finding-tag.js";

export interface FindingsViewProps {
  findings: readonly Finding[];
  /**
   * The session's retry chains with an error or warning (the core's): each shown
   * once with its cost, its attempts' findings under it. Without them, findings by rule alone.
   */
  chains?: readonly Chain[];
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
}: { finding: Finding } & Omit<FindingsViewProps, "findings" | "chains">) {
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

/** Whether `finding` is one of the attempts of `chain`: its rule, and its offending request. */
function inChain(finding: Finding, chain: Chain): boolean {
  const offending = finding.entries[finding.entries.length - 1];
  return (
    offending !== undefined &&
    chain.rules.includes(finding.rule) &&
    chain.entries.includes(offending)
  );
}

function ChainItem({
  chain,
  attempts,
  ...props
}: { chain: Chain; attempts: readonly Finding[] } & Omit<
  FindingsViewProps,
  "findings" | "chains"
>) {
  const [open, setOpen] = useState(false);
  const { caller, library } = chain;
  return (
    <li
      class="chain-row"
      data-testid="chain"
      data-rules={chain.rules.join(" ")}
      data-severity={chain.severity}
      data-host={chain.host}
    >
      <p class="finding-message">
        {chain.rules.map((rule) => (
          <span key={rule}>
            <FindingTag finding={{ rule, severity: chain.severity }} />{" "}
          </span>
        ))}
        <span class="chain-request">
          {chain.method} {chain.host}
          {pathOf(chain.url)}
        </span>{" "}
        <span data-testid="chain-message">{chain.message}</span>
      </p>
      <p class="chain-cost" data-testid="chain-cost">
        {plural(chain.attempts, "attempt")}: {costText(chain)}
      </p>
      {library === undefined ? (
        <p class="advice">{chain.advice}</p>
      ) : (
        <p class="advice" data-testid="chain-library">
          <span class="library-name">{library.name}</span> (<code>{library.option}</code>):{" "}
          {library.advice}
        </p>
      )}
      {caller === undefined ? (
        <CallerUnknown entry={props.entryAt(chain.entries[chain.entries.length - 1] ?? -1)} />
      ) : (
        <div class="finding-caller" data-testid="chain-caller">
          <span class="chain-label">Called from:</span>{" "}
          {caller.function === "" ? null : <span class="frame-function">{caller.function} </span>}
          <CallerLink
            ports={props.ports}
            url={caller.url}
            line={caller.line}
            column={caller.column}
          />
        </div>
      )}
      {attempts.length === 0 ? null : (
        <>
          <button
            type="button"
            class="link chain-toggle"
            data-testid="chain-toggle"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {open ? "Hide" : "Show"} the {plural(attempts.length, "finding")} of its attempts
          </button>
          {open ? (
            <FindingList
              entryAt={props.entryAt}
              ports={props.ports}
              onShowRequest={props.onShowRequest}
              findings={attempts}
              class="finding-list chain-attempts"
              testId="chain-attempts"
            />
          ) : null}
        </>
      )}
    </li>
  );
}

/** Findings as a list, each with its numbers, advice, caller and requests. */
function FindingList(
  props: Pick<FindingsViewProps, "entryAt" | "ports" | "onShowRequest"> & {
    findings: readonly Finding[];
    class: string;
    testId?: string;
  },
) {
  return (
    <ul class={props.class} data-testid={props.testId}>
      {props.findings.map((finding, i) => (
        <FindingItem
          key={i}
          finding={finding}
          entryAt={props.entryAt}
          ports={props.ports}
          onShowRequest={props.onShowRequest}
        />
      ))}
    </ul>
  );
}

function RuleGroups(props: FindingsViewProps) {
  return (
    <>
      {findingsByRule(props.findings).map(({ rule, findings: group }) => {
        return (
          <section key={rule.id} class="finding-group" aria-label={rule.id}>
            <h3 class="group-head">
              <FindingTag finding={{ rule: rule.id, severity: rule.severity }} />{" "}
              <SeverityLabel severity={rule.severity} />{" "}
              <span class="group-count">{plural(group.length, "finding")}</span>{" "}
              <span class="muted">{rule.summary}</span>
            </h3>
            <FindingList
              entryAt={props.entryAt}
              ports={props.ports}
              onShowRequest={props.onShowRequest}
              findings={group}
              class="finding-list"
            />
          </section>
        );
      })}
    </>
  );
}

/**
 * The session's retry chains first, one row each (expand for its attempts' findings), then the
 * findings no chain holds grouped by rule, in the order every report shows them (the CLI's text,
 * the Markdown): the core's findingsByRule, by severity first, then the registry's order.
 */
export function FindingsView(props: FindingsViewProps) {
  const { findings, chains = [] } = props;
  if (findings.length === 0) {
    return (
      <p class="empty">No findings: every retry in this session followed the documented rules.</p>
    );
  }
  const held = new Set<Finding>();
  const rows = chains.map((chain) => {
    const attempts = findings.filter((f) => inChain(f, chain));
    for (const f of attempts) held.add(f);
    return { chain, attempts };
  });
  const rest = findings.filter((f) => !held.has(f));
  return (
    <div class="findings-view">
      {rows.length === 0 ? null : (
        <section class="finding-group" aria-label="Retry chains">
          <h3 class="group-head">
            <span class="group-count">{plural(rows.length, "retry chain")}</span>{" "}
            <span class="muted">each bad retry loop once, with what it cost</span>
          </h3>
          <ul class="finding-list">
            {rows.map(({ chain, attempts }, i) => (
              <ChainItem
                key={i}
                chain={chain}
                attempts={attempts}
                entryAt={props.entryAt}
                ports={props.ports}
                onShowRequest={props.onShowRequest}
              />
            ))}
          </ul>
        </section>
      )}
      <RuleGroups {...props} findings={rest} />
    </div>
  );
}
