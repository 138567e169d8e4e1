import { describe, expect, it } from "vitest";
import { type EntryOptions, entry, httpDate, T0 } from "../../../test/support/har.js";
import { toExchange } from "../har/exchange.js";
import { HostTable } from "../hosts.js";
import type { DecodedError, ProviderId } from "../types.js";
import { decodeError } from "./decode-error.js";

const CASOLA = "https://api.casola.ai/v1/jobs";
const CUADRA = "https://api.cuadra.ai/v1/chat";
const OTHER = "https://example.com/api/items";

const hosts = new HostTable();

/** Decodes the entry with the provider its host maps to, as the analyzer does. */
function decode(options: EntryOptions): DecodedError | undefined {
  const exchange = toExchange(entry(options), 0);
  return decodeError(exchange, hosts.providerOf(exchange.parts));
}

function decodeAs(options: EntryOptions, provider: ProviderId): DecodedError | undefined {
  return decodeError(toExchange(entry(options), 0), provider);
}

function casolaBody(code: string, message = `casola says ${code}`, details?: unknown): string {
  return JSON.stringify({
    error: { code, message, ...(details === undefined ? {} : { details }) },
  });
}

function problem(status: number, title: string, detail: string): string {
  return JSON.stringify({ type: "about:blank", title, status, detail });
}

/** Casola's error documentation, the table "Code / HTTP Status / Description / Retryable", row by row. */
const CASOLA_TABLE: readonly [code: string, status: number, retryable: boolean][] = [
  ["bad_request", 400, false],
  ["validation_error", 400, false],
  ["invalid_json", 400, false],
  ["unauthorized", 401, false],
  ["forbidden", 403, false],
  ["platform_invite_required", 403, false],
  ["not_found", 404, false],
  ["conflict", 409, false],
  ["gone", 410, false],
  ["rate_limit", 429, true],
  ["quota_exceeded", 429, false],
  ["backlog_full", 429, true],
  ["internal_error", 500, true],
  ["bad_gateway", 502, true],
  ["worker_error", 502, true],
  ["no_capacity", 503, true],
  ["model_warming_up", 503, true],
  ["not_configured", 503, false],
  ["timeout", 504, true],
];

/** Cuadra's error documentation, "HTTP Status Codes", with the codes derived from the titles. */
const CUADRA_TABLE: readonly [status: number, code: string, title: string, retryable: boolean][] = [
  [400, "bad_request", "Bad Request", false],
  [401, "unauthorized", "Unauthorized", false],
  [402, "insufficient_credits", "Payment Required", false],
  [403, "forbidden", "Forbidden", false],
  [404, "not_found", "Not Found", false],
  [409, "conflict", "Conflict", false],
  [422, "unprocessable_entity", "Unprocessable Entity", false],
  [429, "too_many_requests", "Too Many Requests", true],
  [500, "internal_server_error", "Internal Server Error", true],
];

/** Headers a documented 429 rate_limit carries, so that only what a test changes is a breach. */
const RATE_LIMIT_HEADERS = {
  "Retry-After": "30",
  "X-RateLimit-Limit": "60",
  "X-RateLimit-Remaining": "0",
  "X-RateLimit-Reset": "1795428060",
};

describe("decodeError on responses that are not errors", () => {
  it("returns undefined for 2xx and 3xx responses", () => {
    for (const status of [200, 201, 204, 301, 304, 399]) {
      expect(decode({ url: CASOLA, status, body: "{}" }), String(status)).toBeUndefined();
    }
  });
});

describe("decodeError on casola", () => {
  it("has a row for each of the 19 documented codes", () => {
    expect(CASOLA_TABLE).toHaveLength(19);
  });

  for (const [code, status, retryable] of CASOLA_TABLE) {
    it(`decodes ${code} on a ${status} as ${retryable ? "retryable" : "not retryable"}`, () => {
      const decoded = decodeAs(
        {
          url: CASOLA,
          status,
          body: casolaBody(code, "Something went wrong"),
          headers: code === "rate_limit" ? RATE_LIMIT_HEADERS : {},
        },
        "casola",
      );
      expect(decoded).toMatchObject({
        provider: "casola",
        status,
        code,
        message: "Something went wrong",
        retryable,
        contract: [],
      });
      expect(decoded?.title).toEqual(expect.any(String));
      expect(decoded?.advice).not.toBe("");
    });
  }

  it("reads the envelope on every casola region host", () => {
    for (const host of [
      "api.casola.ai",
      "api.us.casola.ai",
      "api.eu.casola.ai",
      "api.ap.casola.ai",
    ]) {
      const decoded = decode({
        url: `https://${host}/v1/jobs`,
        status: 404,
        body: casolaBody("not_found"),
      });
      expect(decoded?.provider, host).toBe("casola");
      expect(decoded?.code, host).toBe("not_found");
    }
  });

  it("advises fixing the request body for validation_error", () => {
    const decoded = decode({ url: CASOLA, status: 400, body: casolaBody("validation_error") });
    expect(decoded?.advice).toContain("fix the request body");
  });

  it("advises waiting 30 s to 5 min for model_warming_up", () => {
    const decoded = decode({ url: CASOLA, status: 503, body: casolaBody("model_warming_up") });
    expect(decoded?.advice).toContain("Wait 30 s to 5 min: the model is loading onto a GPU");
  });

  it("advises upgrading the plan or waiting for the reset for quota_exceeded", () => {
    const decoded = decode({ url: CASOLA, status: 429, body: casolaBody("quota_exceeded") });
    expect(decoded?.advice).toMatch(/upgrade the plan or wait for the reset/i);
  });

  it("passes error.details through as given", () => {
    const details = { fields: [{ path: "prompt", issue: "required" }], limit: 3 };
    const decoded = decode({
      url: CASOLA,
      status: 400,
      body: casolaBody("validation_error", "Request body failed schema validation", details),
    });
    expect(decoded?.details).toEqual(details);
  });

  it("leaves details out when the envelope has none", () => {
    const decoded = decode({ url: CASOLA, status: 404, body: casolaBody("not_found") });
    expect(decoded).not.toHaveProperty("details");
  });

  it("falls back to the status rule for an undocumented code and says it is undocumented", () => {
    const retryable = decode({ url: CASOLA, status: 503, body: casolaBody("brand_new_code") });
    expect(retryable).toMatchObject({ code: "brand_new_code", retryable: true, title: null });
    expect(retryable?.contract).toEqual([expect.stringContaining("not documented")]);
    const notRetryable = decode({ url: CASOLA, status: 418, body: casolaBody("teapot") });
    expect(notRetryable?.retryable).toBe(false);
  });
});

describe("decodeError on cuadra", () => {
  for (const [status, code, title, retryable] of CUADRA_TABLE) {
    it(`decodes ${status} as ${code}, ${retryable ? "retryable" : "not retryable"}`, () => {
      const decoded = decodeAs(
        {
          url: CUADRA,
          status,
          body: problem(status, title, "Something went wrong."),
          headers: status === 429 ? { "Retry-After": "60" } : {},
        },
        "cuadra",
      );
      expect(decoded).toMatchObject({
        provider: "cuadra",
        status,
        code,
        title,
        message: "Something went wrong.",
        retryable,
        contract: [],
      });
    });
  }

  it("codes an undocumented 5xx as http_<status> and counts it retryable", () => {
    for (const status of [502, 503, 504]) {
      const decoded = decode({ url: CUADRA, status, body: problem(status, "Oops", "upstream") });
      expect(decoded?.code, String(status)).toBe(`http_${status}`);
      expect(decoded?.retryable, String(status)).toBe(true);
    }
  });

  it("codes an undocumented 4xx as http_<status> and does not count it retryable", () => {
    const decoded = decode({ url: CUADRA, status: 418, body: problem(418, "I'm a teapot", "no") });
    expect(decoded).toMatchObject({ code: "http_418", retryable: false });
  });

  it("reads the documented auth host as cuadra too", () => {
    const decoded = decode({
      url: "https://auth.cuadra.ai/oauth/token",
      status: 401,
      body: problem(401, "Unauthorized", "Invalid or expired token."),
    });
    expect(decoded).toMatchObject({ provider: "cuadra", code: "unauthorized" });
  });

  it("parses the required and available credits of a 402", () => {
    const decoded = decode({
      url: CUADRA,
      status: 402,
      body: problem(
        402,
        "Insufficient Credits",
        "Insufficient credits. Required: 75 credits. Available: 50 credits.",
      ),
    });
    expect(decoded).toMatchObject({
      code: "insufficient_credits",
      title: "Insufficient Credits",
      credits: { required: 75, available: 50 },
      retryable: false,
    });
    expect(decoded?.advice).toMatch(/purchase credits/i);
  });

  it("leaves credits out of a 402 whose detail does not state them", () => {
    const decoded = decode({
      url: CUADRA,
      status: 402,
      body: problem(402, "Payment Required", "Out of credits."),
    });
    expect(decoded).not.toHaveProperty("credits");
  });

  it("parses the missing scope of a 403", () => {
    const decoded = decode({
      url: CUADRA,
      status: 403,
      body: problem(403, "Forbidden", "Missing required scope: chat:invoke"),
    });
    expect(decoded).toMatchObject({ code: "forbidden", scope: "chat:invoke" });
  });

  it("takes the title from the table when the body has none", () => {
    const decoded = decode({ url: CUADRA, status: 404, body: "" });
    expect(decoded?.title).toBe("Not Found");
  });
});

describe("retryAfterSeconds", () => {
  it("comes from the Retry-After header in seconds", () => {
    const decoded = decode({
      url: CUADRA,
      status: 429,
      headers: { "Retry-After": "60" },
      body: problem(429, "Too Many Requests", "Rate limit exceeded."),
    });
    expect(decoded?.retryAfterSeconds).toBe(60);
  });

  it("comes from the detail text when there is no header", () => {
    const decoded = decode({
      url: CUADRA,
      status: 429,
      body: problem(429, "Too Many Requests", "Rate limit exceeded. Retry after 60 seconds."),
    });
    expect(decoded?.retryAfterSeconds).toBe(60);
  });

  it("prefers the header to the text", () => {
    const decoded = decode({
      url: CUADRA,
      status: 429,
      headers: { "retry-after": "5" },
      body: problem(429, "Too Many Requests", "Rate limit exceeded. Retry after 60 seconds."),
    });
    expect(decoded?.retryAfterSeconds).toBe(5);
  });

  it("counts an HTTP-date from the response's own Date header", () => {
    const serverNow = T0 + 120_000;
    const decoded = decode({
      url: CASOLA,
      status: 429,
      headers: {
        Date: httpDate(serverNow),
        "Retry-After": httpDate(serverNow + 45_000),
      },
      body: casolaBody("rate_limit"),
    });
    expect(decoded?.retryAfterSeconds).toBe(45);
  });

  it("reads retry-after-ms in seconds", () => {
    const decoded = decode({
      url: CASOLA,
      status: 503,
      headers: { "retry-after-ms": "1500" },
      body: casolaBody("no_capacity"),
    });
    expect(decoded?.retryAfterSeconds).toBe(1.5);
  });

  it("is absent when neither the header nor the text states a wait", () => {
    const decoded = decode({ url: CASOLA, status: 500, body: casolaBody("internal_error") });
    expect(decoded).not.toHaveProperty("retryAfterSeconds");
  });
});

describe("bodies that are not the provider's JSON", () => {
  const HTML = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";

  for (const [name, url, provider] of [
    ["casola", CASOLA, "casola"],
    ["cuadra", CUADRA, "cuadra"],
  ] as const) {
    it(`decodes a proxy's HTML page on ${name} from the status alone`, () => {
      const decoded = decode({ url, status: 502, body: HTML, mimeType: "text/html" });
      expect(decoded).toMatchObject({ provider, status: 502, retryable: true, message: null });
      if (provider === "casola") expect(decoded?.code).toBeNull();
      expect(decoded?.contract).toHaveLength(1);
    });

    it(`decodes an empty body on ${name} from the status alone`, () => {
      const decoded = decode({ url, status: 503, body: "" });
      expect(decoded).toMatchObject({ provider, status: 503, retryable: true, message: null });
      expect(decoded?.contract).toEqual([expect.stringContaining("empty body")]);
    });

    it(`decodes a base64-encoded HTML body on ${name} from the status alone`, () => {
      const decoded = decode({ url, status: 403, body: HTML, base64: true, mimeType: "text/html" });
      expect(decoded).toMatchObject({ provider, status: 403, retryable: false, message: null });
    });
  }

  it("decodes a base64-encoded casola envelope like a plain one", () => {
    const decoded = decode({
      url: CASOLA,
      status: 429,
      body: casolaBody("quota_exceeded", "Plan usage limit reached"),
      base64: true,
    });
    expect(decoded).toMatchObject({
      provider: "casola",
      code: "quota_exceeded",
      message: "Plan usage limit reached",
      retryable: false,
      contract: [],
    });
  });

  it("decodes base64-encoded cuadra problem details like plain ones", () => {
    const decoded = decode({
      url: CUADRA,
      status: 403,
      body: problem(403, "Forbidden", "Missing required scope: chat:invoke"),
      base64: true,
    });
    expect(decoded).toMatchObject({ provider: "cuadra", code: "forbidden", scope: "chat:invoke" });
  });

  it("decodes a body of invalid base64 from the status alone", () => {
    const exchange = toExchange(entry({ url: CASOLA, status: 500 }), 0);
    exchange.responseBody = { state: "undecodable" };
    expect(decodeError(exchange, "casola")).toMatchObject({
      provider: "casola",
      code: null,
      retryable: true,
    });
  });
});

describe("the contract list", () => {
  it("names a 429 rate_limit sent without Retry-After", () => {
    const { "Retry-After": _, ...withoutRetryAfter } = RATE_LIMIT_HEADERS;
    const decoded = decode({
      url: CASOLA,
      status: 429,
      headers: withoutRetryAfter,
      body: casolaBody("rate_limit"),
    });
    expect(decoded?.contract).toEqual([
      "a 429 rate_limit without the documented Retry-After header",
    ]);
  });

  it("accepts retry-after-ms in place of Retry-After on a 429 rate_limit", () => {
    const { "Retry-After": _, ...withoutRetryAfter } = RATE_LIMIT_HEADERS;
    const decoded = decode({
      url: CASOLA,
      status: 429,
      headers: { ...withoutRetryAfter, "retry-after-ms": "30000" },
      body: casolaBody("rate_limit"),
    });
    expect(decoded?.contract).toEqual([]);
  });

  it("names the missing X-RateLimit headers of a 429 rate_limit", () => {
    const decoded = decode({
      url: CASOLA,
      status: 429,
      headers: { "Retry-After": "30" },
      body: casolaBody("rate_limit"),
    });
    expect(decoded?.contract).toEqual([
      expect.stringContaining("x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset"),
    ]);
  });

  it("names a casola code sent on a status other than its documented one", () => {
    const decoded = decode({ url: CASOLA, status: 503, body: casolaBody("rate_limit") });
    expect(decoded?.code).toBe("rate_limit");
    expect(decoded?.retryable).toBe(true);
    expect(decoded?.contract).toEqual([
      "code rate_limit is documented as HTTP 429, but the status was 503",
    ]);
  });

  it("names a casola body that is JSON but not the envelope", () => {
    const decoded = decode({
      url: CASOLA,
      status: 400,
      body: JSON.stringify({ message: "bad things" }),
    });
    expect(decoded?.code).toBeNull();
    expect(decoded?.contract).toEqual([expect.stringContaining("not the documented")]);
  });

  it("names an envelope without code or message", () => {
    const decoded = decode({ url: CASOLA, status: 400, body: JSON.stringify({ error: {} }) });
    expect(decoded?.contract).toEqual([
      expect.stringContaining("error.code is missing"),
      expect.stringContaining("error.message is missing"),
    ]);
  });

  it("names a cuadra body that is not problem details", () => {
    const decoded = decode({ url: CUADRA, status: 400, body: JSON.stringify({ error: "bad" }) });
    expect(decoded?.code).toBe("bad_request");
    expect(decoded?.contract).toEqual([expect.stringContaining('numeric "status"')]);
  });

  it("names a cuadra problem whose status differs from the HTTP status", () => {
    const decoded = decode({ url: CUADRA, status: 400, body: problem(422, "Unprocessable", "x") });
    expect(decoded?.contract).toEqual(['the problem "status" is 422, but the HTTP status was 400']);
  });

  it("names a cuadra 429 without Retry-After", () => {
    const decoded = decode({
      url: CUADRA,
      status: 429,
      body: problem(429, "Too Many Requests", "Rate limit exceeded. Retry after 60 seconds."),
    });
    expect(decoded?.contract).toEqual(["a 429 without the documented Retry-After header"]);
  });
});

describe("the server's retry headers", () => {
  it("x-should-retry: false overrides a retryable code", () => {
    const decoded = decode({
      url: CASOLA,
      status: 500,
      headers: { "x-should-retry": "false" },
      body: casolaBody("internal_error"),
    });
    expect(decoded?.retryable).toBe(false);
  });

  it("Stripe-Should-Retry: true overrides a code that is not retryable", () => {
    const decoded = decode({
      url: CUADRA,
      status: 409,
      headers: { "Stripe-Should-Retry": "true" },
      body: problem(409, "Conflict", "Resource already exists"),
    });
    expect(decoded?.retryable).toBe(true);
  });

  it("X-Should-Retry: TRUE is read whatever the case", () => {
    const decoded = decode({
      url: OTHER,
      status: 400,
      headers: { "X-Should-Retry": " TRUE " },
      body: "",
    });
    expect(decoded?.retryable).toBe(true);
  });

  it("a value other than true or false in x-should-retry lets Stripe-Should-Retry speak", () => {
    const decoded = decode({
      url: CUADRA,
      status: 409,
      headers: { "x-should-retry": "maybe", "Stripe-Should-Retry": "true" },
      body: problem(409, "Conflict", "Resource already exists"),
    });
    expect(decoded?.retryable).toBe(true);
  });

  it("a value other than true or false leaves the table in charge", () => {
    const decoded = decode({
      url: CASOLA,
      status: 400,
      headers: { "x-should-retry": "maybe" },
      body: casolaBody("bad_request"),
    });
    expect(decoded?.retryable).toBe(false);
  });
});

describe("a request that got no response", () => {
  it("is decoded as retryable with the host's provider", () => {
    for (const [url, provider] of [
      [CASOLA, "casola"],
      [CUADRA, "cuadra"],
      [OTHER, null],
    ] as const) {
      const decoded = decode({ url, status: 0, body: "" });
      expect(decoded, url).toMatchObject({ provider, status: 0, code: null, retryable: true });
      expect(decoded?.contract, url).toEqual([]);
    }
  });
});

describe("hosts that are not API hosts", () => {
  it("reads application/problem+json as a problem with the type URI's tail as code", () => {
    const decoded = decode({
      url: OTHER,
      status: 403,
      mimeType: "application/problem+json",
      body: JSON.stringify({
        type: "https://example.com/probs/out-of-credit",
        title: "You do not have enough credit.",
        detail: "Your current balance is 30, but that costs 50.",
      }),
    });
    expect(decoded).toMatchObject({
      provider: "problem",
      code: "out-of-credit",
      title: "You do not have enough credit.",
      message: "Your current balance is 30, but that costs 50.",
      retryable: false,
    });
  });

  it("reads a JSON object with numeric status and string title as a problem", () => {
    const decoded = decode({
      url: OTHER,
      status: 503,
      body: JSON.stringify({ type: "about:blank", title: "Service Unavailable", status: 503 }),
    });
    expect(decoded).toMatchObject({ provider: "problem", code: null, retryable: true });
  });

  it.each([
    ["https://example.com/probs/out-of-credit/", "out-of-credit"],
    ["https://example.com/probs/out%20of%20credit?lang=en", "out of credit"],
    ["https://example.com/", null],
    ["https://example.com", null],
    ["urn:problem-type:example:rate-limited", "rate-limited"],
    ["/errors/quota", "quota"],
  ])("takes the code of type %s as %s", (type, code) => {
    const decoded = decode({
      url: OTHER,
      status: 400,
      mimeType: "application/problem+json",
      body: JSON.stringify({ type, title: "Bad", status: 400 }),
    });
    expect(decoded?.code).toBe(code);
  });

  it("gives no code to a problem without a type", () => {
    const decoded = decode({
      url: OTHER,
      status: 404,
      body: JSON.stringify({ title: "Not Found", status: 404 }),
    });
    expect(decoded).toMatchObject({ provider: "problem", code: null, title: "Not Found" });
  });

  it("reads error.code and error.message as generic", () => {
    const decoded = decode({
      url: OTHER,
      status: 400,
      body: JSON.stringify({ error: { code: "invalid_param", message: "size is too big" } }),
    });
    expect(decoded).toMatchObject({
      provider: "generic",
      code: "invalid_param",
      message: "size is too big",
    });
  });

  it("reads OAuth's error and error_description as generic", () => {
    const decoded = decode({
      url: OTHER,
      status: 400,
      body: JSON.stringify({ error: "invalid_grant", error_description: "expired code" }),
    });
    expect(decoded).toMatchObject({
      provider: "generic",
      code: "invalid_grant",
      message: "expired code",
    });
  });

  it("reads a top-level message as generic", () => {
    const decoded = decode({
      url: OTHER,
      status: 500,
      body: JSON.stringify({ message: "boom" }),
    });
    expect(decoded).toMatchObject({ provider: "generic", code: null, message: "boom" });
  });

  it.each([
    [
      "GitLab's message object with an error",
      { message: { error: "Branch is protected" } },
      { code: null, message: "Branch is protected" },
    ],
    [
      "GitLab's validation message object",
      { message: { name: ["has already been taken"], path: ["is too long", "is invalid"] } },
      { code: null, message: "name: has already been taken; path: is too long, is invalid" },
    ],
    [
      "Okta's errorCode and errorSummary",
      { errorCode: "E0000011", errorSummary: "Invalid token provided", errorCauses: [] },
      { code: "E0000011", message: "Invalid token provided" },
    ],
    [
      "GraphQL's errors with extensions.code",
      {
        data: null,
        errors: [{ message: "Not signed in", extensions: { code: "UNAUTHENTICATED" } }],
      },
      { code: "UNAUTHENTICATED", message: "Not signed in" },
    ],
    [
      "GitHub GraphQL's errors with a type",
      { errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] },
      { code: "RATE_LIMITED", message: "API rate limit exceeded" },
    ],
    [
      "DigitalOcean's id and message",
      { id: "Unauthorized", message: "Unable to authenticate you" },
      { code: "Unauthorized", message: "Unable to authenticate you" },
    ],
    [
      "a message beside a record's numeric id",
      { id: 1234, message: "gone" },
      { code: null, message: "gone" },
    ],
  ])("reads %s as generic", (_what, body, fields) => {
    const decoded = decode({ url: OTHER, status: 401, body: JSON.stringify(body) });
    expect(decoded).toMatchObject({ provider: "generic", ...fields });
  });

  it("gives no provider and no code to anything else", () => {
    for (const body of ["<html>oops</html>", "", "[1,2]", '{"ok":false}', "{not json", "null"]) {
      const decoded = decode({ url: OTHER, status: 500, body });
      expect(decoded, body).toMatchObject({ provider: null, code: null, message: null });
      expect(decoded?.contract, body).toEqual([]);
    }
  });

  it("reads a user-mapped host with the provider it is mapped to", () => {
    const table = new HostTable([{ host: "127.0.0.1:8080", provider: "casola" }]);
    const exchange = toExchange(
      entry({
        url: "http://127.0.0.1:8080/v1/jobs",
        status: 429,
        body: casolaBody("backlog_full"),
      }),
      0,
    );
    expect(decodeError(exchange, table.providerOf(exchange.parts))).toMatchObject({
      provider: "casola",
      code: "backlog_full",
      retryable: true,
    });
  });
});

describe("the status rule for hosts without a table", () => {
  const RETRYABLE = [408, 425, 429, 500, 502, 503, 504, 507, 599];
  const NOT_RETRYABLE = [400, 401, 403, 404, 409, 418, 422, 451, 501, 505];

  for (const status of RETRYABLE) {
    it(`counts ${status} retryable`, () => {
      expect(decode({ url: OTHER, status, body: "" })?.retryable).toBe(true);
    });
  }

  for (const status of NOT_RETRYABLE) {
    it(`does not count ${status} retryable`, () => {
      expect(decode({ url: OTHER, status, body: "" })?.retryable).toBe(false);
    });
  }

  it("applies to generic and problem bodies alike", () => {
    expect(
      decode({ url: OTHER, status: 501, body: JSON.stringify({ message: "no" }) })?.retryable,
    ).toBe(false);
    expect(
      decode({ url: OTHER, status: 425, body: JSON.stringify({ title: "Too Early", status: 425 }) })
        ?.retryable,
    ).toBe(true);
  });
});

const GEMINI =
  "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent";

/** A Gemini 429 as Google's error model and the Gemini rate-limit docs describe it. */
const RESOURCE_EXHAUSTED_DETAILS = [
  {
    "@type": "type.googleapis.com/google.rpc.QuotaFailure",
    violations: [
      {
        quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
        quotaId: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
        quotaValue: "15",
      },
    ],
  },
  {
    "@type": "type.googleapis.com/google.rpc.Help",
    links: [{ description: "Learn more about Gemini API quotas", url: "https://ai.google.dev" }],
  },
  { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "38s" },
];

function googleBody(code: number, status: string, message: string, details?: unknown): string {
  return JSON.stringify({
    error: { code, message, status, ...(details === undefined ? {} : { details }) },
  });
}

describe("Google API errors", () => {
  it("decodes RESOURCE_EXHAUSTED by its status name, details as given, waiting its retryDelay", () => {
    const decoded = decode({
      url: GEMINI,
      status: 429,
      body: googleBody(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details.",
        RESOURCE_EXHAUSTED_DETAILS,
      ),
    });
    expect(decoded).toMatchObject({
      provider: "generic",
      status: 429,
      code: "RESOURCE_EXHAUSTED",
      message: "You exceeded your current quota, please check your plan and billing details.",
      details: RESOURCE_EXHAUSTED_DETAILS,
      retryable: true,
      retryAfterSeconds: 38,
      contract: [],
    });
    expect(decoded?.advice).toMatch(/RESOURCE_EXHAUSTED.*retryDelay/);
  });

  it("lets a header's wait win over the RetryInfo", () => {
    const decoded = decode({
      url: GEMINI,
      status: 429,
      headers: { "Retry-After": "10" },
      body: googleBody(429, "RESOURCE_EXHAUSTED", "Quota", RESOURCE_EXHAUSTED_DETAILS),
    });
    expect(decoded?.retryAfterSeconds).toBe(10);
  });

  it("counts RESOURCE_EXHAUSTED a rate-limit error on whatever status it comes", () => {
    const decoded = decode({
      url: GEMINI,
      status: 403,
      body: googleBody(403, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric"),
    });
    expect(decoded).toMatchObject({ code: "RESOURCE_EXHAUSTED", retryable: true });
    expect(decoded).not.toHaveProperty("retryAfterSeconds");
    expect(decoded).not.toHaveProperty("details");
  });

  it("leaves other Google statuses to the HTTP rule", () => {
    const invalid = decode({
      url: GEMINI,
      status: 400,
      body: googleBody(400, "INVALID_ARGUMENT", "Invalid JSON payload received."),
    });
    expect(invalid).toMatchObject({ code: "INVALID_ARGUMENT", retryable: false });
    const unavailable = decode({
      url: GEMINI,
      status: 503,
      body: googleBody(503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
    });
    expect(unavailable).toMatchObject({ code: "UNAVAILABLE", retryable: true });
    expect(unavailable?.advice).not.toMatch(/RESOURCE_EXHAUSTED/);
  });

  it("reads an error whose status is no google.rpc.Code, or whose code is no number, as before", () => {
    const lower = decode({
      url: OTHER,
      status: 429,
      body: JSON.stringify({ error: { code: 429, message: "slow down", status: "error" } }),
    });
    expect(lower).toMatchObject({ provider: "generic", code: "429", message: "slow down" });
    const stringCode = decode({
      url: OTHER,
      status: 400,
      body: JSON.stringify({
        error: { code: "bad", message: "no", status: "INVALID_ARGUMENT", details: [] },
      }),
    });
    expect(stringCode).toMatchObject({ code: "bad" });
    expect(stringCode).not.toHaveProperty("details");
  });

  it("states no wait for a RetryInfo outside error.details or with a malformed retryDelay", () => {
    const outside = decode({
      url: GEMINI,
      status: 429,
      body: JSON.stringify({
        error: { code: 429, message: "Quota", status: "RESOURCE_EXHAUSTED" },
        details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "38s" }],
      }),
    });
    expect(outside).not.toHaveProperty("retryAfterSeconds");
    for (const retryDelay of ["38", "-1s"]) {
      const malformed = decode({
        url: GEMINI,
        status: 429,
        body: googleBody(429, "RESOURCE_EXHAUSTED", "Quota", [
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay },
        ]),
      });
      expect(malformed, retryDelay).not.toHaveProperty("retryAfterSeconds");
    }
  });
});

/** GitHub's documented primary rate-limit response. */
const GITHUB_PRIMARY = JSON.stringify({
  message: "API rate limit exceeded for 203.0.113.7.",
  documentation_url:
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits",
});

const GITHUB_SECONDARY = JSON.stringify({
  message:
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
  documentation_url:
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
});

const GITHUB_LIMIT_HEADERS = {
  "x-ratelimit-limit": "60",
  "x-ratelimit-used": "60",
  "x-ratelimit-reset": "1795431000",
  "x-ratelimit-resource": "core",
};

describe("GitHub's rate-limit refusals", () => {
  const REPO = "https://api.github.com/repos/octocat/hello-world";

  it("counts a 403 or 429 whose x-ratelimit-remaining is 0 retryable after the reset", () => {
    for (const status of [403, 429]) {
      const decoded = decode({
        url: REPO,
        status,
        headers: { ...GITHUB_LIMIT_HEADERS, "x-ratelimit-remaining": "0" },
        body: GITHUB_PRIMARY,
      });
      expect(decoded, String(status)).toMatchObject({
        provider: "generic",
        message: "API rate limit exceeded for 203.0.113.7.",
        retryable: true,
      });
      expect(decoded?.advice, String(status)).toMatch(/until X-RateLimit-Reset/);
    }
  });

  it("counts a secondary-limit 403 with Retry-After retryable after the wait", () => {
    const decoded = decode({
      url: REPO,
      status: 403,
      headers: { "retry-after": "60" },
      body: GITHUB_SECONDARY,
    });
    expect(decoded).toMatchObject({ retryable: true, retryAfterSeconds: 60 });
    expect(decoded?.advice).toMatch(/until the Retry-After has passed/);
  });

  it("does not count a plain 403, nor one with requests remaining, retryable", () => {
    const cases: Record<string, string>[] = [
      {},
      { ...GITHUB_LIMIT_HEADERS, "x-ratelimit-remaining": "1" },
      { ...GITHUB_LIMIT_HEADERS, "x-ratelimit-remaining": "10" },
      { "retry-after": "soon" },
    ];
    for (const headers of cases) {
      const decoded = decode({
        url: REPO,
        status: 403,
        headers,
        body: JSON.stringify({ message: "Resource not accessible by integration" }),
      });
      expect(decoded?.retryable, JSON.stringify(headers)).toBe(false);
      expect(decoded?.advice, JSON.stringify(headers)).toMatch(/^Do not retry/);
    }
  });

  it("leaves a documented table in charge: a Casola 403 with 0 remaining is still forbidden", () => {
    const decoded = decode({
      url: CASOLA,
      status: 403,
      headers: { "X-RateLimit-Remaining": "0", "Retry-After": "30" },
      body: casolaBody("forbidden"),
    });
    expect(decoded?.retryable).toBe(false);
  });
});

const IANA = "https://iana.org/assignments/http-problem-types";

/** The draft's own examples (draft-ietf-httpapi-ratelimit-headers-11, "Problem Types"). */
function ietfProblem(name: string, title: string, policies?: unknown): string {
  return JSON.stringify({
    type: `${IANA}#${name}`,
    title,
    ...(policies === undefined ? {} : { "violated-policies": policies }),
  });
}

describe("IETF RateLimit problem types", () => {
  function decodeProblemBody(status: number, body: string, headers = {}) {
    return decode({
      url: OTHER,
      status,
      headers,
      mimeType: "application/problem+json",
      body,
    });
  }

  it("decodes quota-exceeded with its violated policies, retryable after the reset", () => {
    const decoded = decodeProblemBody(
      429,
      ietfProblem(
        "quota-exceeded",
        "Request cannot be satisfied as assigned quota has been exceeded",
        ["daily", "bandwidth"],
      ),
    );
    expect(decoded).toMatchObject({
      provider: "problem",
      code: "quota-exceeded",
      title: "Request cannot be satisfied as assigned quota has been exceeded",
      violatedPolicies: ["daily", "bandwidth"],
      retryable: true,
    });
    expect(decoded?.advice).toMatch(/until their quota resets/);
  });

  it("decodes temporary-reduced-capacity as retryable", () => {
    const decoded = decodeProblemBody(
      503,
      ietfProblem(
        "temporary-reduced-capacity",
        "Request cannot be satisfied due to temporary server capacity constraints",
        ["hourly"],
      ),
    );
    expect(decoded).toMatchObject({
      code: "temporary-reduced-capacity",
      violatedPolicies: ["hourly"],
      retryable: true,
    });
  });

  it("decodes abnormal-usage-detected as not retryable without a change, even on a 429", () => {
    const decoded = decodeProblemBody(
      429,
      ietfProblem(
        "abnormal-usage-detected",
        "Request not satisifed due to detection of abnormal request pattern",
        ["hourly"],
      ),
      { "Retry-After": "30" },
    );
    expect(decoded).toMatchObject({ code: "abnormal-usage-detected", retryable: false });
    expect(decoded?.advice).toMatch(/^Do not retry as is/);
  });

  it("reads the draft's throttled example, with a status and Retry-After", () => {
    const decoded = decode({
      url: OTHER,
      status: 429,
      headers: { "Retry-After": "5", RateLimit: '"default";r=0;t=5' },
      body: JSON.stringify({
        type: `${IANA}#quota-exceeded`,
        title: "Too Many Requests",
        status: 429,
        "violated-policies": ["default"],
      }),
    });
    expect(decoded).toMatchObject({
      provider: "problem",
      code: "quota-exceeded",
      violatedPolicies: ["default"],
      retryAfterSeconds: 5,
    });
  });

  it.each([
    [`${IANA}#quota-exceeded`, "quota-exceeded"],
    ["https://api.example/problems/quota-exceeded", "quota-exceeded"],
    ["https://api.example/problems/quota-exceeded/", "quota-exceeded"],
    ["urn:example:temporary-reduced-capacity", "temporary-reduced-capacity"],
    [`${IANA}#over-quota-exceeded`, "http-problem-types"],
    ["https://api.example/problems/quota-exceeded-soon", "quota-exceeded-soon"],
  ])("takes the code of type %s as %s", (type, code) => {
    expect(decodeProblemBody(429, JSON.stringify({ type, title: "Quota" }))?.code).toBe(code);
  });

  it("keeps violated-policies only as an array of strings, capped", () => {
    const many = Array.from({ length: 40 }, (_, i) => `policy-${i}`);
    expect(
      decodeProblemBody(429, ietfProblem("quota-exceeded", "Quota", many))?.violatedPolicies,
    ).toEqual(many.slice(0, 16));
    const long = decodeProblemBody(429, ietfProblem("quota-exceeded", "Quota", ["p".repeat(500)]));
    expect(long?.violatedPolicies?.[0]).toHaveLength(200);
    for (const policies of [undefined, "daily", [], ["daily", 7], [{ name: "daily" }], null]) {
      const decoded = decodeProblemBody(429, ietfProblem("quota-exceeded", "Quota", policies));
      expect(decoded, JSON.stringify(policies)).not.toHaveProperty("violatedPolicies");
    }
  });

  it("leaves another problem type to the status rule", () => {
    const decoded = decodeProblemBody(
      429,
      JSON.stringify({ type: "https://api.example/problems/slow-down", title: "Slow down" }),
    );
    expect(decoded).toMatchObject({ code: "slow-down", retryable: true });
    expect(decoded?.advice).toMatch(/^Retry with exponential backoff/);
  });
});
