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
  // A meter whose max equals its min is drawn full by Firefox and empty by Chromium: a limit of 0
  // (nothing may be sent) is drawn as an empty meter of 1 in both.
  const max = limit !== null && limit > 0 ? limit : 1;
  return (
    <div class={props.rowClass}>
      <meter
        min={0}
        max={max}
        value={limit === 0 ? 0 : (remaining ?? 0)}
        low={limit === null ? undefined : max * 0.1 + 0.5}
        optimum={max}
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
