import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";

/** Containers up to this depth, and with at most this many members, start unfolded. */
const OPEN_DEPTH = 2;
const OPEN_MEMBERS = 50;

function Scalar({ value }: { value: unknown }) {
  if (typeof value === "string") return <span class="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === "number") return <span class="json-number">{String(value)}</span>;
  if (typeof value === "boolean") return <span class="json-boolean">{String(value)}</span>;
  return <span class="json-null">null</span>;
}

/** A <details> that renders its members only once opened: a large array costs nothing folded. */
function Fold(props: { summary: string; open: boolean; children: () => ComponentChildren }) {
  const [open, setOpen] = useState(props.open);
  return (
    <details
      class="json-fold"
      open={open}
      onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>{props.summary}</summary>
      {open ? props.children() : null}
    </details>
  );
}

function JsonNode({ value, depth }: { value: unknown; depth: number }) {
  if (value === null || typeof value !== "object") return <Scalar value={value} />;
  const isArray = Array.isArray(value);
  const members: [string, unknown][] = isArray
    ? value.map((item, i) => [String(i), item])
    : Object.entries(value as Record<string, unknown>);
  if (members.length === 0) return <span class="json-punct">{isArray ? "[]" : "{}"}</span>;
  const summary = isArray
    ? `[ ${members.length} ${members.length === 1 ? "item" : "items"} ]`
    : `{ ${members.length} ${members.length === 1 ? "key" : "keys"} }`;
  return (
    <Fold summary={summary} open={depth < OPEN_DEPTH && members.length <= OPEN_MEMBERS}>
      {() => (
        <ul class="json-members">
          {members.map(([key, member]) => (
            <li key={key}>
              <span class={isArray ? "json-index" : "json-key"}>
                {isArray ? key : JSON.stringify(key)}
              </span>
              <span class="json-punct">: </span>
              <JsonNode value={member} depth={depth + 1} />
            </li>
          ))}
        </ul>
      )}
    </Fold>
  );
}

/** Parsed JSON, nested objects and arrays folded in <details>; every value rendered as text. */
export function JsonTree({ value }: { value: unknown }) {
  return (
    <div class="json-tree">
      <JsonNode value={value} depth={0} />
    </div>
  );
}
