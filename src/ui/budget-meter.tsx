/** Remaining / limit as a meter and numbers: the same figure in the panel and in the popup. */
export function BudgetMeter(props: {
  /** Read out as "Remaining tokens of api.openai.com". */
  label: string;
  remaining: number | null;
  limit: number | null;
  /** The class of the row, and the test ids of the two numbers, as each page names them. */
  rowClass: string;
  numbersClass: string;
  testIds: { remaining: string; limit: string };
}) {
  const { remaining, limit } = props;
  return (
    <div class={props.rowClass}>
      <meter
        min={0}
        max={limit ?? 1}
        value={remaining ?? 0}
        low={limit === null ? undefined : limit * 0.1 + 0.5}
        optimum={limit ?? 1}
        aria-label={props.label}
      />
      <span class={props.numbersClass}>
        <span data-testid={props.testIds.remaining}>{remaining ?? "?"}</span>
        {" / "}
        <span data-testid={props.testIds.limit}>{limit ?? "?"}</span> left
      </span>
    </div>
  );
}
