import type { Finding } from "../../core/finding.js";

/** A rule id as a small tag, coloured by severity. */
export function FindingTag({ finding }: { finding: Pick<Finding, "rule" | "severity"> }) {
  return (
    <span
      class={`tag severity-${finding.severity}`}
      data-testid="finding-tag"
      title={`${finding.severity}: ${finding.rule}`}
    >
      {finding.rule}
    </span>
  );
}

export function SeverityLabel({ severity }: { severity: Finding["severity"] }) {
  return <span class={`severity severity-text-${severity}`}>{severity}</span>;
}
