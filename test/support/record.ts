import type { RequestRecord } from "../../src/core/request-record.js";
import { T0 } from "./har.js";

/** What a panel reports of one request: a GET of Casola's jobs answered 200 at T0; `fields` change it. */
export function record(fields: Partial<RequestRecord> = {}): RequestRecord {
  return {
    method: "GET",
    url: "https://api.casola.ai/v1/jobs",
    status: 200,
    start: T0,
    end: T0 + 100,
    rateLimit: [],
    code: null,
    ...fields,
  };
}
