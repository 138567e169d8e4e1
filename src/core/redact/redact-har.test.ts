import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzeEntries } from "../../../test/support/analyze.js";
import { entry } from "../../../test/support/har.js";
import { toExchange } from "../har/exchange.js";
import { parseHar } from "../har/parse-har.js";
import type { HarEntry } from "../types.js";
import { redactHar, redactJsonText, redactUrl } from "./redact-har.js";
import { isSecretHeader, isSecretName, REDACTED } from "./secret-names.js";

const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/", import.meta.url));
const fixtureNames = readdirSync(FIXTURES).filter((name) => name.endsWith(".har"));

function fixture(name: string): HarEntry[] {
  const parsed = parseHar(readFileSync(`${FIXTURES}${name}`, "utf8"));
  if (!parsed.ok) throw new Error(`${name}: ${parsed.message}`);
  return parsed.entries;
}

function only(input: HarEntry): HarEntry {
  const [out] = redactHar([input]).log.entries as unknown as HarEntry[];
  if (out === undefined) throw new Error("no entry");
  return out;
}

function header(list: readonly { name: string; value: string }[], name: string) {
  return list.find((h) => h.name === name)?.value;
}

describe("secret names", () => {
  it.each([
    "Authorization",
    "proxy-authorization",
    "COOKIE",
    "Set-Cookie",
    "X-Api-Key",
    "api-key",
    "X-Auth-Token",
    "X-CSRF-Token",
    "X-Client-Secret",
    "X-Casola-ApiKey",
    "x-goog-api_key",
    "X-Password",
  ])("header %s is secret", (name) => expect(isSecretHeader(name)).toBe(true));

  it.each([
    "Content-Type",
    "Idempotency-Key",
    "X-RateLimit-Remaining",
    "x-ratelimit-remaining-tokens",
    "x-ratelimit-limit-tokens",
    "Retry-After",
    "Date",
    "RateLimit-Policy",
    "User-Agent",
  ])("header %s is not", (name) => expect(isSecretHeader(name)).toBe(false));

  it.each([
    "key",
    "KEY",
    "api_key",
    "apiKey",
    "apikey",
    "api-key",
    "x-api-key",
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "authToken",
    "secret",
    "client_secret",
    "secretKey",
    "privateKey",
    "signature",
    "X-Amz-Signature",
    "sig",
    "password",
    "new_password_confirmation",
    "pwd",
    "authorization",
    "auth",
  ])("parameter %s is secret", (name) => expect(isSecretName(name)).toBe(true));

  it.each([
    "max_tokens",
    "token_type",
    "idempotency_key",
    "public_key",
    "model",
    "prompt",
    "messages",
    "keyword",
    "monkey",
    "author",
    "",
    "_",
  ])("parameter %s is not", (name) => expect(isSecretName(name)).toBe(false));
});

describe("redactHar", () => {
  it("writes a complete HAR 1.2 log", () => {
    const har = redactHar([entry()]);
    expect(har.log.version).toBe("1.2");
    expect(har.log.creator).toEqual({ name: "Ratelens", version: "unknown" });
    expect(har.log.pages).toEqual([]);
    expect(har.log.entries).toHaveLength(1);
    expect(redactHar([], { creator: { name: "Ratelens", version: "1.2.3" } }).log.creator).toEqual({
      name: "Ratelens",
      version: "1.2.3",
    });
  });

  it("replaces the value of every credential header, in requests and responses", () => {
    const input = entry({
      requestHeaders: [
        ["Authorization", "Bearer sk_live_abc"],
        ["proxy-authorization", "Basic dXNlcjpwYXNz"],
        ["Cookie", "session=abc; theme=dark"],
        ["X-Api-Key", "k1"],
        ["Api-Key", "k2"],
        ["X-Auth-Token", "t1"],
        ["X-Csrf-Token", "t2"],
        ["X-Client-Secret", "s1"],
        ["X-Casola-APIKEY", "k3"],
        ["Content-Type", "application/json"],
        ["Idempotency-Key", "idem-1"],
      ],
      headers: [
        ["Set-Cookie", "session=abc; HttpOnly"],
        ["X-RateLimit-Remaining", "3"],
        ["x-ratelimit-remaining-tokens", "1000"],
        ["Retry-After", "30"],
      ],
    });
    const out = only(input);
    expect(out.request.headers).toEqual([
      { name: "Authorization", value: REDACTED },
      { name: "proxy-authorization", value: REDACTED },
      { name: "Cookie", value: REDACTED },
      { name: "X-Api-Key", value: REDACTED },
      { name: "Api-Key", value: REDACTED },
      { name: "X-Auth-Token", value: REDACTED },
      { name: "X-Csrf-Token", value: REDACTED },
      { name: "X-Client-Secret", value: REDACTED },
      { name: "X-Casola-APIKEY", value: REDACTED },
      { name: "Content-Type", value: "application/json" },
      { name: "Idempotency-Key", value: "idem-1" },
    ]);
    expect(out.response.headers).toEqual([
      { name: "Set-Cookie", value: REDACTED },
      { name: "X-RateLimit-Remaining", value: "3" },
      { name: "x-ratelimit-remaining-tokens", value: "1000" },
      { name: "Retry-After", value: "30" },
    ]);
  });

  it("redacts a bearer token in any header, and leaves an auth-param after Bearer alone", () => {
    const out = only(
      entry({
        requestHeaders: [
          ["X-Forwarded-Credentials", "Bearer eyJhbGciOi.eyJzdWIi.sig-_/+== , other"],
          ["X-Upstream", "scheme bearer abc123;next"],
        ],
        headers: [["WWW-Authenticate", 'Bearer realm="api", error="invalid_request"']],
      }),
    );
    expect(header(out.request.headers, "X-Forwarded-Credentials")).toBe(
      `Bearer ${REDACTED} , other`,
    );
    expect(header(out.request.headers, "X-Upstream")).toBe(`scheme bearer ${REDACTED};next`);
    expect(header(out.response.headers, "WWW-Authenticate")).toBe(
      'Bearer realm="api", error="invalid_request"',
    );
  });

  it("redacts the secret query parameters of URLs in headers such as Referer, Location, Link", () => {
    const out = only(
      entry({
        requestHeaders: { Referer: "https://app.example/cb?code=1&access_token=abc#x" },
        headers: {
          Location: "https://api.casola.ai/v1/jobs/1?sig=abc&page=2",
          Link: '<https://api.casola.ai/v1/jobs?page=2&key=k>; rel="next"',
        },
      }),
    );
    expect(header(out.request.headers, "Referer")).toBe(
      `https://app.example/cb?code=1&access_token=${REDACTED}#x`,
    );
    expect(header(out.response.headers, "Location")).toBe(
      `https://api.casola.ai/v1/jobs/1?sig=${REDACTED}&page=2`,
    );
    expect(header(out.response.headers, "Link")).toBe(
      `<https://api.casola.ai/v1/jobs?page=2&key=${REDACTED}>; rel="next"`,
    );
  });

  it("replaces every cookie value and keeps the cookie's other fields", () => {
    const input = entry();
    input.request.cookies = [{ name: "session", value: "abc", path: "/" }];
    input.response.cookies = [{ name: "session", value: "def", httpOnly: true, secure: true }];
    const out = only(input);
    expect(out.request.cookies).toEqual([{ name: "session", value: REDACTED, path: "/" }]);
    expect(out.response.cookies).toEqual([
      { name: "session", value: REDACTED, httpOnly: true, secure: true },
    ]);
  });

  it("redacts secret parameters in the URL and in queryString, and nothing else of either", () => {
    const input = entry({
      url: "https://api.casola.ai/v1/jobs?limit=10&api_key=abc&API%5FKEY=def&max_tokens=5&token&sig=&x=%ZZ",
    });
    input.request.queryString = [
      { name: "limit", value: "10" },
      { name: "api_key", value: "abc" },
      { name: "Signature", value: "xyz" },
      { name: "max_tokens", value: "5" },
    ];
    const out = only(input);
    expect(out.request.url).toBe(
      `https://api.casola.ai/v1/jobs?limit=10&api_key=${REDACTED}&API%5FKEY=${REDACTED}&max_tokens=5&token&sig=${REDACTED}&x=%ZZ`,
    );
    expect(out.request.queryString).toEqual([
      { name: "limit", value: "10" },
      { name: "api_key", value: REDACTED },
      { name: "Signature", value: REDACTED },
      { name: "max_tokens", value: "5" },
    ]);
  });

  it("redacts URL passwords and fragment tokens, keeping the URL's host readable", () => {
    expect(redactUrl("https://user:hunter2@api.casola.ai:8443/v1?q=1")).toBe(
      `https://user:${REDACTED}@api.casola.ai:8443/v1?q=1`,
    );
    expect(new URL(redactUrl("https://user:hunter2@api.casola.ai:8443/v1")).host).toBe(
      "api.casola.ai:8443",
    );
    expect(redactUrl("https://app.example/cb#access_token=abc&state=s")).toBe(
      `https://app.example/cb#access_token=${REDACTED}&state=s`,
    );
    expect(redactUrl("https://app.example/docs#section-2")).toBe(
      "https://app.example/docs#section-2",
    );
    expect(redactUrl("https://api.casola.ai:8080/v1?x=a@b")).toBe(
      "https://api.casola.ai:8080/v1?x=a@b",
    );
    expect(redactUrl("not a url ?? token=1")).toBe(`not a url ?? token=${REDACTED}`);
  });

  it("redacts secret form parameters, in params and in a form-encoded text", () => {
    const input = entry({ method: "POST" });
    input.request.postData = {
      mimeType: "application/x-www-form-urlencoded; charset=UTF-8",
      params: [
        { name: "grant_type", value: "client_credentials" },
        { name: "client_secret", value: "abc" },
        { name: "password", value: "hunter2" },
      ],
      text: "grant_type=client_credentials&client_secret=abc&password=hunter2",
    } as unknown as HarEntry["request"]["postData"];
    const out = only(input);
    expect(out.request.postData).toEqual({
      mimeType: "application/x-www-form-urlencoded; charset=UTF-8",
      params: [
        { name: "grant_type", value: "client_credentials" },
        { name: "client_secret", value: REDACTED },
        { name: "password", value: REDACTED },
      ],
      text: `grant_type=client_credentials&client_secret=${REDACTED}&password=${REDACTED}`,
    });
  });

  it("redacts secret JSON fields of a request body at any depth, keeping the rest's exact text", () => {
    const body = `{
  "model": "casola/llama-3-8b",
  "max_tokens": 12345678901234567890,
  "config": { "api_key": "sk_1", "nested": [{ "password": "p\\"w" }, {"token": {"a": [1, "}"]}}] },
  "apiKey": 42,
  "secret": null,
  "idempotency_key": "idem",
  "prompt": "my password is in here: \\"token\\": \\"x\\""
}`;
    const out = only(entry({ method: "POST", postData: body }));
    expect(out.request.postData?.text).toBe(`{
  "model": "casola/llama-3-8b",
  "max_tokens": 12345678901234567890,
  "config": { "api_key": "${REDACTED}", "nested": [{ "password": "${REDACTED}" }, {"token": "${REDACTED}"}] },
  "apiKey": "${REDACTED}",
  "secret": null,
  "idempotency_key": "idem",
  "prompt": "my password is in here: \\"token\\": \\"x\\""
}`);
    expect(redactJsonText('[{"a":{"token":"t"}},{"b":[{},[]],"sig":"s"}]')).toBe(
      `[{"a":{"token":"${REDACTED}"}},{"b":[{},[]],"sig":"${REDACTED}"}]`,
    );
    expect(redactJsonText('{"k":{},"password":""}')).toBeUndefined();
  });

  it("leaves a body that is not JSON, or has no secret, exactly as it was", () => {
    for (const text of [
      '{"prompt":"hi","messages":[{"role":"user","content":"token: abc"}]}',
      '{"password": "unterminated',
      "password=hunter2",
      "[1, 2, 3]",
      "",
    ]) {
      expect(only(entry({ method: "POST", postData: text })).request.postData?.text).toBe(text);
    }
  });

  it("copies deeply: the input is not changed and shares nothing with the output", () => {
    const input = entry({
      requestHeaders: { Authorization: "Bearer abc" },
      postData: '{"token":"abc"}',
    });
    const before = structuredClone(input);
    const out = only(input);
    expect(input).toEqual(before);
    expect(out.request).not.toBe(input.request);
    expect(out.response.content).not.toBe(input.response.content);
    expect(out.response.content).toEqual(input.response.content);
  });

  it("keeps fields it does not know, initiators included", () => {
    const input = entry() as HarEntry & Record<string, unknown>;
    input._initiator = {
      type: "script",
      stack: { callFrames: [{ functionName: "f", url: "https://app/x.js", lineNumber: 1 }] },
    };
    input._priority = "High";
    input.pageref = "page_1";
    const out = only(input) as HarEntry & Record<string, unknown>;
    expect(out._initiator).toEqual(input._initiator);
    expect(out._priority).toBe("High");
    expect(out.pageref).toBe("page_1");
    expect(toExchange(out, 0)).toEqual(toExchange(input, 0));
  });

  it("survives odd entries: nulls, wrong types, a __proto__ field", () => {
    const odd = [
      null,
      42,
      "entry",
      [],
      { request: null, response: null },
      { request: { url: 5, headers: null, cookies: "x", queryString: [null, { name: 1 }] } },
      {
        request: {
          url: "https://a/?token=1",
          headers: [null, { name: null }, { name: "Authorization", value: null }],
          postData: { text: null, params: { name: "token" } },
          cookies: [null, { name: "a" }],
        },
        response: { headers: [{ name: "Set-Cookie", value: 5 }], redirectURL: 7 },
      },
      JSON.parse('{"__proto__": {"token": "x"}, "request": {"headers": []}}'),
    ] as unknown as HarEntry[];
    const har = redactHar(odd);
    expect(() => JSON.stringify(har)).not.toThrow();
    expect(har.log.entries).toHaveLength(odd.length);
    const last = har.log.entries[odd.length - 1] as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(last)).toBe(Object.prototype);
    expect(Object.hasOwn(last, "__proto__")).toBe(true);
    expect(redactHar(null as unknown as HarEntry[]).log.entries).toEqual([]);
  });

  it("cuts a cycle instead of looping", () => {
    const input = entry() as HarEntry & Record<string, unknown>;
    input._self = input;
    const out = only(input) as HarEntry & Record<string, unknown>;
    expect(out._self).toBeNull();
  });
});

describe("redactHar on secrets a server echoes", () => {
  const KEY = "sk-live-abc123XYZ";

  it("redacts secret JSON fields of a response body, keeping the rest's exact text", () => {
    const body =
      '{ "access_token": "eyJhbGciOi.eyJzdWIi.c2ln", "token_type": "bearer",  "expires_in": 3600 }';
    const out = only(entry({ body }));
    expect(out.response.content.text).toBe(
      `{ "access_token": "${REDACTED}", "token_type": "bearer",  "expires_in": 3600 }`,
    );
  });

  it("redacts a key the request sent wherever the response repeats it, and keeps the error code", () => {
    const input = entry({
      status: 401,
      requestHeaders: { Authorization: `Bearer ${KEY}` },
      body: JSON.stringify({
        error: { code: "unauthorized", message: `Invalid API key ${KEY}` },
      }),
    });
    const out = only(input);
    expect(JSON.parse(out.response.content.text ?? "")).toEqual({
      error: { code: "unauthorized", message: `Invalid API key ${REDACTED}` },
    });
    expect(analyzeEntries([out]).entries[0]?.error?.code).toBe("unauthorized");
  });

  it("redacts echoes in an HTML error page, other headers, the URL path and the redirect", () => {
    const input = entry({
      status: 403,
      url: `https://api.casola.ai/v1/keys/${KEY}/usage?page=2`,
      requestHeaders: { "X-Api-Key": KEY, Referer: `https://app.example/settings#${KEY}` },
      headers: { Location: `https://app.example/login?next=%2Fkeys%2F${KEY}`, "X-Debug": KEY },
      body: `<html><body><pre>X-Api-Key: ${KEY}</pre></body></html>`,
    });
    input.response.redirectURL = `https://app.example/denied?k=${KEY}`;
    const out = only(input);
    expect(out.response.content.text).toBe(
      `<html><body><pre>X-Api-Key: ${REDACTED}</pre></body></html>`,
    );
    expect(out.request.url).toBe(`https://api.casola.ai/v1/keys/${REDACTED}/usage?page=2`);
    expect(header(out.request.headers, "Referer")).toBe(`https://app.example/settings#${REDACTED}`);
    expect(header(out.response.headers, "Location")).toBe(
      `https://app.example/login?next=%2Fkeys%2F${REDACTED}`,
    );
    expect(header(out.response.headers, "X-Debug")).toBe(REDACTED);
    expect(out.response.redirectURL).toBe(`https://app.example/denied?k=${REDACTED}`);
    expect(JSON.stringify(out)).not.toContain(KEY);
  });

  it("redacts cookie, Set-Cookie, query, form and URL password values echoed in the body", () => {
    const values = {
      cookie: "sessionABCDEF123",
      setCookie: "fresh-session-9876zz",
      query: "query-key-QQQQ1111",
      form: "form pass word!",
      password: "url-pass-WORD42",
    };
    const input = entry({
      method: "POST",
      url: `https://user:${values.password}@api.casola.ai/v1/login?api_key=${values.query}`,
      requestHeaders: { Cookie: `theme=dark; sid=${values.cookie}` },
      headers: [["Set-Cookie", `sid=${values.setCookie}; Path=/; HttpOnly`]],
      body: JSON.stringify({ echoed: Object.values(values).join(" | ") }),
    });
    input.request.postData = {
      mimeType: "application/x-www-form-urlencoded",
      text: `user=me&password=${encodeURIComponent(values.form)}`,
    } as unknown as HarEntry["request"]["postData"];
    const out = only(input);
    expect(JSON.parse(out.response.content.text ?? "")).toEqual({
      echoed: [REDACTED, REDACTED, REDACTED, REDACTED, REDACTED].join(" | "),
    });
    for (const value of Object.values(values)) expect(JSON.stringify(out)).not.toContain(value);
  });

  it("redacts the percent-encoded and JSON-escaped spellings of a secret", () => {
    const secret = "abc/def+ghi=";
    const out = only(
      entry({
        requestHeaders: { "X-Api-Key": secret },
        body: `{"url":"https://x.example/?k=abc%2Fdef%2Bghi%3D","plain":"abc/def+ghi="}`,
      }),
    );
    expect(out.response.content.text).toBe(
      `{"url":"https://x.example/?k=${REDACTED}","plain":"${REDACTED}"}`,
    );
  });

  it("redacts a secret one entry sent where another entry's response echoes it", () => {
    const login = entry({ method: "POST", url: "https://api.casola.ai/v1/login" });
    login.response.content.text = JSON.stringify({ access_token: "tok_FROM_LOGIN_42" });
    const sent = entry({ requestHeaders: { Authorization: `Bearer ${KEY}` } });
    const echo = entry({
      status: 500,
      body: `{"error":{"code":"internal_server_error","message":"upstream saw ${KEY} and tok_FROM_LOGIN_42"}}`,
    });
    const har = redactHar([login, sent, echo]);
    const [, , out] = har.log.entries;
    expect(out?.response.content.text).toBe(
      `{"error":{"code":"internal_server_error","message":"upstream saw ${REDACTED} and ${REDACTED}"}}`,
    );
  });

  it("leaves short and digit-only values, and rate-limit headers, alone", () => {
    const out = only(
      entry({
        requestHeaders: { Cookie: "lang=en; seen=1795428060" },
        headers: { "X-RateLimit-Reset": "1795428060", "Content-Language": "en" },
        body: '{"message":"en 1795428060"}',
      }),
    );
    expect(out.response.content.text).toBe('{"message":"en 1795428060"}');
    expect(header(out.response.headers, "X-RateLimit-Reset")).toBe("1795428060");
    expect(header(out.response.headers, "Content-Language")).toBe("en");
  });

  it("decodes, redacts and encodes again a base64 text body; leaves a binary body alone", () => {
    const text = only(
      entry({
        requestHeaders: { Authorization: `Bearer ${KEY}` },
        body: `{"error":{"code":"unauthorized","message":"bad key ${KEY} ✓"},"secret":"s3"}`,
        base64: true,
      }),
    );
    expect(text.response.content.encoding).toBe("base64");
    expect(Buffer.from(text.response.content.text ?? "", "base64").toString("utf8")).toBe(
      `{"error":{"code":"unauthorized","message":"bad key ${REDACTED} ✓"},"secret":"${REDACTED}"}`,
    );

    const binary = entry({ requestHeaders: { Authorization: `Bearer ${KEY}` } });
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(KEY)]);
    binary.response.content = {
      size: bytes.length,
      mimeType: "image/png",
      encoding: "base64",
      text: bytes.toString("base64"),
    };
    expect(only(binary).response.content).toEqual(binary.response.content);
  });
});

describe("the analysis of a redacted HAR", () => {
  it("has fixtures to check", () => expect(fixtureNames.length).toBeGreaterThanOrEqual(10));

  it.each(fixtureNames)("%s gives the same report before and after", (name) => {
    const entries = fixture(name);
    const redacted = redactHar(entries).log.entries as unknown as HarEntry[];
    expect(analyzeEntries(redacted)).toEqual(analyzeEntries(entries));
  });

  it.each(fixtureNames)("%s with secrets added gives the same findings and budgets", (name) => {
    const secret = "sk_live_Zx81Qv0PmmA2";
    const entries = fixture(name).map((e) => {
      const copy = structuredClone(e);
      const joiner = copy.request.url.includes("?") ? "&" : "?";
      copy.request.url = `${copy.request.url}${joiner}api_key=${secret}`;
      copy.request.queryString = [
        ...(copy.request.queryString ?? []),
        { name: "api_key", value: secret },
      ];
      copy.request.headers = [
        ...copy.request.headers,
        { name: "Cookie", value: `session=${secret}` },
        { name: "X-Api-Key", value: secret },
      ];
      copy.response.headers = [
        ...copy.response.headers,
        { name: "Set-Cookie", value: `s=${secret}` },
      ];
      return copy;
    });
    const redacted = redactHar(entries).log.entries as unknown as HarEntry[];
    expect(JSON.stringify(redacted)).not.toContain(secret);
    const before = analyzeEntries(entries);
    const after = analyzeEntries(redacted);
    expect(after.findings).toEqual(before.findings);
    expect(after.budgets).toEqual(before.budgets);
    expect(after.entries.map(({ url: _url, ...rest }) => rest)).toEqual(
      before.entries.map(({ url: _url, ...rest }) => rest),
    );
  });
});

describe("redactHar properties", () => {
  const RUNS = { numRuns: 300 };

  it("never throws on any value and always gives serialisable JSON", () => {
    fc.assert(
      fc.property(fc.array(fc.anything({ maxDepth: 4 }), { maxLength: 5 }), (entries) => {
        const har = redactHar(entries as unknown as HarEntry[]);
        const text = JSON.stringify(har);
        expect(typeof text).toBe("string");
        expect(JSON.parse(text).log.entries).toHaveLength(entries.length);
      }),
      RUNS,
    );
  });

  const text = fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  );
  const maybe = <T>(arb: fc.Arbitrary<T>) =>
    fc.oneof(arb, fc.constant(null), fc.constant(undefined), fc.integer());
  const headerArb = fc.record({ name: maybe(text), value: maybe(text) }, { requiredKeys: [] });

  it("never throws on HAR-shaped entries with odd fields, and redacts once for all", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record(
            {
              startedDateTime: maybe(text),
              request: maybe(
                fc.record(
                  {
                    url: maybe(text),
                    headers: maybe(fc.array(maybe(headerArb), { maxLength: 4 })),
                    cookies: maybe(fc.array(maybe(headerArb), { maxLength: 3 })),
                    queryString: maybe(fc.array(maybe(headerArb), { maxLength: 3 })),
                    postData: maybe(
                      fc.record(
                        {
                          mimeType: maybe(text),
                          text: maybe(fc.oneof(text, fc.json())),
                          params: maybe(fc.array(maybe(headerArb), { maxLength: 3 })),
                        },
                        { requiredKeys: [] },
                      ),
                    ),
                  },
                  { requiredKeys: [] },
                ),
              ),
              response: maybe(
                fc.record(
                  {
                    headers: maybe(fc.array(maybe(headerArb), { maxLength: 4 })),
                    cookies: maybe(fc.array(maybe(headerArb), { maxLength: 3 })),
                    redirectURL: maybe(text),
                    content: maybe(
                      fc.record(
                        {
                          mimeType: maybe(text),
                          text: maybe(fc.oneof(text, fc.json(), fc.base64String())),
                          encoding: maybe(fc.constantFrom("base64", "")),
                        },
                        { requiredKeys: [] },
                      ),
                    ),
                  },
                  { requiredKeys: [] },
                ),
              ),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 4 },
        ),
        (entries) => {
          const once = redactHar(entries as unknown as HarEntry[]);
          expect(() => JSON.stringify(once)).not.toThrow();
          // Redacting a redacted HAR changes nothing.
          expect(redactHar(once.log.entries as unknown as HarEntry[])).toEqual(once);
        },
      ),
      RUNS,
    );
  });

  it("redacts JSON bodies without changing what they parse to, secrets aside", () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), (json) => {
        const redacted = redactJsonText(json);
        if (redacted === undefined) return;
        const before = JSON.parse(json);
        const after = JSON.parse(redacted);
        const strip = (value: unknown): unknown => {
          if (Array.isArray(value)) return value.map(strip);
          if (typeof value !== "object" || value === null) return value;
          const out: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(value)) {
            Object.defineProperty(out, k, {
              value: isSecretName(k) && v !== null && v !== "" ? REDACTED : strip(v),
              enumerable: true,
            });
          }
          return out;
        };
        expect(after).toEqual(strip(before));
      }),
      RUNS,
    );
  });

  const token = fc.stringMatching(/^[A-Za-z0-9_-]{12,40}$/).map((t) => `TKN${t}`);
  const otherHeaders = fc.array(
    fc.record({
      name: fc.constantFrom("Accept", "Content-Type", "X-Request-Id", "Idempotency-Key", "Origin"),
      value: fc.string({ maxLength: 20 }),
    }),
    { maxLength: 4 },
  );

  it("a token put into Authorization, Cookie, the query or a JSON body never survives, nor its echo", () => {
    fc.assert(
      fc.property(
        token,
        fc.constantFrom(
          "authorization",
          "cookie",
          "set-cookie",
          "query",
          "body",
          "x-api-key",
          "bearer",
        ),
        fc.constantFrom(
          (n: string) => n,
          (n: string) => n.toUpperCase(),
          (n: string) => n.toLowerCase(),
        ),
        otherHeaders,
        fc.constantFrom("none", "json", "html", "header", "redirect", "base64"),
        (secret, where, casing, headers, echo) => {
          const input = entry({ method: "POST", postData: '{"prompt":"hi"}' });
          input.request.headers = [...headers];
          input.response.headers = [];
          // The server repeats the token it was sent.
          if (echo === "json") {
            input.response.content.text = JSON.stringify({
              error: { code: "unauthorized", message: `bad token ${secret}` },
            });
          } else if (echo === "html") {
            input.response.content.text = `<pre>${secret}</pre>`;
          } else if (echo === "base64") {
            input.response.content.text = btoa(`{"message":"seen ${secret}"}`);
            input.response.content.encoding = "base64";
          } else if (echo === "header") {
            input.response.headers.push({ name: "X-Request-Echo", value: `t=${secret}` });
          } else if (echo === "redirect") {
            input.response.redirectURL = `https://app.example/next/${encodeURIComponent(secret)}`;
          }
          switch (where) {
            case "authorization":
              input.request.headers.push({
                name: casing("Authorization"),
                value: `Bearer ${secret}`,
              });
              break;
            case "cookie":
              input.request.headers.push({ name: casing("Cookie"), value: `a=1; s=${secret}` });
              input.request.cookies = [{ name: "s", value: secret }];
              break;
            case "set-cookie":
              input.response.headers.push({
                name: casing("Set-Cookie"),
                value: `s=${secret}; Secure`,
              });
              input.response.cookies = [{ name: "s", value: secret }];
              break;
            case "query":
              input.request.url = `https://api.casola.ai/v1/jobs?page=1&${casing("access_token")}=${secret}`;
              input.request.queryString = [
                { name: "page", value: "1" },
                { name: casing("access_token"), value: secret },
              ];
              break;
            case "body":
              input.request.postData = {
                mimeType: "application/json",
                text: JSON.stringify({ prompt: "hi", [casing("api_key")]: secret }),
              };
              break;
            case "x-api-key":
              input.request.headers.push({ name: casing("X-Api-Key"), value: secret });
              break;
            case "bearer":
              input.request.headers.push({
                name: "X-Forwarded-Authorisation",
                value: `Bearer ${secret}`,
              });
              break;
          }
          expect(JSON.stringify(input)).toContain(secret);
          const out = redactHar([input]);
          expect(JSON.stringify(out)).not.toContain(secret);
          const body = out.log.entries[0]?.response.content;
          if (body?.encoding === "base64") expect(atob(body.text ?? "")).not.toContain(secret);
        },
      ),
      RUNS,
    );
  });
});
