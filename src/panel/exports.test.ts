import { describe, expect, it } from "vitest";
import { entry, T0 } from "../../test/support/har.js";
import { redactHar } from "../core/redact/redact-har.js";
import { Session } from "../core/session.js";
import type { HarEntry } from "../core/types.js";
import { type ExportKind, exportFile } from "./exports.js";

/** A session in which every place a credential can hide holds one, each spelled SECRET_... */
function plantedSession(): Session {
  const session = new Session();
  // The server echoes what it was sent: in its message, a token field, a header.
  const quota = JSON.stringify({
    error: {
      code: "quota_exceeded",
      message: "Plan usage limit of SECRET_X_API_KEY (session SECRET_COOKIE, pw SECRET_PW)",
    },
    access_token: "SECRET_RESPONSE_TOKEN",
  });
  for (const at of [0, 1000]) {
    const request = entry({
      method: "POST",
      url: "https://api.casola.ai/v1/jobs?key=SECRET_KEY&api_key=SECRET_API_KEY&signature=SECRET_SIG&model=m1",
      status: 429,
      startedDateTime: T0 + at,
      body: quota,
      headers: {
        "Set-Cookie": "sid=SECRET_SET_COOKIE",
        Location: "https://api.casola.ai/v1/next?token=SECRET_LOCATION",
        "X-Debug": "caller SECRET_BEARER via SECRET_QS",
      },
      requestHeaders: {
        Authorization: "Bearer SECRET_BEARER",
        Cookie: "sid=SECRET_COOKIE",
        "X-Api-Key": "SECRET_X_API_KEY",
      },
      postData: JSON.stringify({
        prompt: "hi",
        api_key: "SECRET_BODY_KEY",
        nested: { password: "SECRET_PW" },
      }),
    });
    request.request.cookies = [{ name: "sid", value: "SECRET_COOKIE_LIST" }];
    request.request.queryString = [{ name: "access_token", value: "SECRET_QS" }];
    session.add(request, "live");
  }
  return session;
}

describe("the panel's exports", () => {
  const session = plantedSession();

  it.each<ExportKind>(["har", "json", "markdown"])(
    "%s leaves no planted secret in the file",
    (kind) => {
      const file = exportFile(kind, {
        session,
        sourceName: undefined,
        now: T0 + 5000,
        version: "t",
      });
      expect(file.text).not.toContain("SECRET");
      // The redacted request is still there, named by its path and its harmless parameters.
      expect(file.text).toContain("model=m1");
      // ...and so is its error, with what the server said around the secrets it echoed.
      expect(file.text).toMatch(/quota\\?_exceeded/);
      if (kind !== "markdown") expect(file.text).toContain("Plan usage limit of [redacted]");
    },
  );

  it("reports the same findings as the session it redacts", () => {
    expect(session.findings.length).toBeGreaterThan(0);
    const json = JSON.parse(
      exportFile("json", { session, sourceName: undefined, now: T0 + 5000, version: "t" }).text,
    ) as { findings: unknown[] };
    expect(json.findings).toEqual(JSON.parse(JSON.stringify(session.findings)));
  });

  it("exports entries held packed past the cap as they were, less their bodies", () => {
    const make = (i: number) =>
      entry({
        url: `https://api.casola.ai/v1/jobs?n=${i}`,
        status: i % 4 === 0 ? 429 : 200,
        body: i % 4 === 0 ? '{"error":{"code":"rate_limit","message":"Slow"}}' : `{"n":${i}}`,
        startedDateTime: T0 + i * 1000,
        headers: { "Retry-After": "1", "X-Request-Id": `req_${i}` },
        requestHeaders: { Authorization: "Bearer SECRET_BEARER" },
      });
    const capped = new Session({ bodiesKept: 10 });
    const whole = new Session();
    for (let i = 0; i < 30; i++) {
      capped.add(make(i), "live");
      whole.add(make(i), "live");
    }
    // The 20 oldest are past the cap, all held packed; 15 had bodies to release (the 429s'
    // small error bodies stay).
    expect(capped.released).toBe(15);
    expect(capped.entries.slice(0, 20).filter((item) => item.bodyReleased).length).toBe(15);
    const context = (session: Session) => ({
      session,
      sourceName: undefined,
      now: T0,
      version: "t",
    });
    // The HAR: each entry past the cap without its body (a small error body stays), redacted.
    const expected = Array.from({ length: 30 }, (_, i) => {
      const har = make(i);
      if (i < 20 && i % 4 !== 0) delete (har.response.content as { text?: string }).text;
      return har;
    });
    const har = exportFile("har", context(capped)).text;
    expect(har).toBe(
      `${JSON.stringify(redactHar(expected as HarEntry[], { creator: { name: "Ratelens", version: "t" } }), null, 2)}\n`,
    );
    expect(har).not.toContain("SECRET_BEARER");
    // The reports were read as the entries arrived: the same with or without the cap.
    for (const kind of ["json", "markdown"] as const) {
      expect(exportFile(kind, context(capped)).text).toBe(exportFile(kind, context(whole)).text);
    }
  });
});
