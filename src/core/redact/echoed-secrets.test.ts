import { describe, expect, it } from "vitest";
import { entry } from "../../../test/support/har.js";
import { echoRedactor, MIN_ECHO_CHARS, redactUrlEchoes, secretValuesOf } from "./echoed-secrets.js";
import { jsonSecretValues } from "./redact-har.js";
import { REDACTED } from "./secret-names.js";

describe("secretValuesOf", () => {
  it("collects the credentials of headers: whole values, the token after the scheme, cookies", () => {
    const values = secretValuesOf(
      entry({
        requestHeaders: {
          Authorization: "Bearer tok_abcdefgh",
          Cookie: "theme=darkness; sid=session-xyz-1",
          "X-Forwarded": "bearer fwd_token_99",
          Referer: "https://app.example/cb?access_token=referer-tok#state=s",
        },
        headers: [["Set-Cookie", "sid=new-session-2; Path=/"]],
      }),
    );
    expect(values).toEqual(
      expect.arrayContaining([
        "Bearer tok_abcdefgh",
        "tok_abcdefgh",
        "theme=darkness; sid=session-xyz-1",
        "darkness",
        "session-xyz-1",
        "fwd_token_99",
        "referer-tok",
        "new-session-2",
      ]),
    );
  });

  it("decodes a Basic credential's password and a URL's, and reads secret parameters", () => {
    const input = entry({
      url: "https://me:p%40ssword1@api.casola.ai/v1?api_key=k%2Bkey%2Bkey&page=22222222",
      requestHeaders: { Authorization: `Basic ${btoa("me:hunter2hunter2")}` },
    });
    input.request.queryString = [{ name: "signature", value: "sig-value-1" }];
    const values = secretValuesOf(input);
    expect(values).toEqual(
      expect.arrayContaining([
        "hunter2hunter2",
        "me:hunter2hunter2",
        "p%40ssword1",
        "p@ssword1",
        "k%2Bkey%2Bkey",
        "k+key+key",
        "sig-value-1",
      ]),
    );
    expect(values).not.toContain("22222222");
  });

  it("reads body fields only when asked", () => {
    const input = entry({ method: "POST", postData: '{"password":"login-pass-1"}' });
    expect(secretValuesOf(input)).toEqual([]);
    expect(
      secretValuesOf(input, {
        bodies: jsonSecretValues,
        responseText: '{"refresh_token":{"value":"refresh-tok-1"}}',
      }).sort(),
    ).toEqual(["login-pass-1", "refresh-tok-1"]);
  });

  it(`leaves out values under ${MIN_ECHO_CHARS} characters, without a letter, or already redacted`, () => {
    const values = secretValuesOf(
      entry({
        requestHeaders: { Cookie: `a=short; b=1795428060; c=${REDACTED}`, "X-Api-Key": "k" },
      }),
    );
    expect(values).toEqual([]);
  });

  it("never throws on what is not an entry", () => {
    for (const odd of [null, 1, "x", [], { request: 1, response: { headers: [null, 1] } }]) {
      expect(secretValuesOf(odd)).toEqual([]);
    }
  });
});

describe("echoRedactor", () => {
  it("replaces the longest secret first, and leaves text without one as it was", () => {
    const redact = echoRedactor(["session-1234", "a=1; sid=session-1234"]);
    expect(redact("cookie a=1; sid=session-1234 and session-1234")).toBe(
      `cookie ${REDACTED} and ${REDACTED}`,
    );
    expect(redact("nothing here")).toBe("nothing here");
    expect(echoRedactor([])("session-1234")).toBe("session-1234");
  });

  it("treats a secret as text, never as a pattern", () => {
    const redact = echoRedactor(["a.b*c+d?(e)|[f]$"]);
    expect(redact("x a.b*c+d?(e)|[f]$ y axbbbcd")).toBe(`x ${REDACTED} y axbbbcd`);
  });

  it("keeps a URL's scheme and host", () => {
    const redact = echoRedactor(["api.casola.ai", "secret-path-1"]);
    expect(redactUrlEchoes("https://api.casola.ai/v1/secret-path-1?h=api.casola.ai", redact)).toBe(
      `https://api.casola.ai/v1/${REDACTED}?h=${REDACTED}`,
    );
  });
});
