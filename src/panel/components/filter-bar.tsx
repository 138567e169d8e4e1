import type { RequestFilter } from "../filters.js";

export interface FilterBarProps {
  filter: RequestFilter;
  hosts: readonly string[];
  shown: number;
  total: number;
  onChange: (filter: RequestFilter) => void;
}

/** A labelled checkbox of the bar. */
function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label class="check">
      <input
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange((event.currentTarget as HTMLInputElement).checked)}
      />
      {label}
    </label>
  );
}

export function FilterBar({ filter, hosts, shown, total, onChange }: FilterBarProps) {
  return (
    <div class="filter-bar">
      <input
        type="search"
        class="filter-text"
        placeholder="Filter URL, error code, body"
        aria-label="Filter requests by URL, error code or body text"
        value={filter.text}
        onInput={(event) =>
          onChange({ ...filter, text: (event.currentTarget as HTMLInputElement).value })
        }
      />
      <select
        aria-label="Host"
        value={filter.host}
        onChange={(event) =>
          onChange({ ...filter, host: (event.currentTarget as HTMLSelectElement).value })
        }
      >
        <option value="">All hosts</option>
        {hosts.map((host) => (
          <option key={host} value={host}>
            {host}
          </option>
        ))}
      </select>
      <Check
        label="Errors only"
        checked={filter.errorsOnly}
        onChange={(errorsOnly) => onChange({ ...filter, errorsOnly })}
      />
      <Check
        label="Flagged only"
        checked={filter.flaggedOnly}
        onChange={(flaggedOnly) => onChange({ ...filter, flaggedOnly })}
      />
      <span class="count" aria-live="polite">
        {shown === total ? `${total} requests` : `${shown} of ${total} requests`}
      </span>
    </div>
  );
}
