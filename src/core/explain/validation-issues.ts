import { isRecord } from "../is-record.js";

/** One validation problem of an error's `details` object: the field it names and what is wrong. */
export interface Issue {
  /** The field or location, "" when the issue names none. */
  field: string;
  message: string;
}

const FIELD_KEYS = ["field", "path", "loc", "location", "pointer", "param", "name", "property"];
const MESSAGE_KEYS = ["message", "msg", "detail", "description", "error", "reason"];
const LIST_KEYS = ["issues", "errors", "fields", "violations", "validation", "problems"];

function fieldOf(item: Record<string, unknown>): string {
  for (const key of FIELD_KEYS) {
    const value = item[key];
    if (typeof value === "string") return value;
    if (Array.isArray(value) && value.every((p) => typeof p === "string" || typeof p === "number"))
      return value.join(".");
  }
  return "";
}

function issueOf(item: unknown): Issue | undefined {
  if (typeof item === "string") return { field: "", message: item };
  if (!isRecord(item)) return undefined;
  for (const key of MESSAGE_KEYS) {
    const message = item[key];
    if (typeof message === "string") return { field: fieldOf(item), message };
  }
  return undefined;
}

function issueList(value: unknown): Issue[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const issues = value.map(issueOf);
  return issues.every((i): i is Issue => i !== undefined) ? issues : undefined;
}

/**
 * Validation issues in the common shapes an API puts in `details`: a list of `{field, message}`,
 * an object holding such a list, or `{field: "message" | ["message", ...]}`. Undefined for
 * anything else, which a view shows as it is.
 */
export function validationIssues(details: unknown): Issue[] | undefined {
  const direct = issueList(details);
  if (direct !== undefined) return direct;
  if (!isRecord(details)) return undefined;
  for (const key of LIST_KEYS) {
    const listed = issueList(details[key]);
    if (listed !== undefined) return listed;
  }
  const entries = Object.entries(details);
  if (entries.length === 0) return undefined;
  const issues: Issue[] = [];
  for (const [field, value] of entries) {
    if (typeof value === "string") issues.push({ field, message: value });
    else if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string"))
      for (const message of value) issues.push({ field, message });
    else return undefined;
  }
  return issues;
}
