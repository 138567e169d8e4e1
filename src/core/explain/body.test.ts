import { expect, test } from "vitest";
import { entry } from "../../../test/support/har.js";
import { MAX_BODY_CHARS, readBody, requestBody, responseBody } from "./body.js";

test("a JSON body is parsed; anything else, or broken JSON, stays text", () => {
  expect(readBody('{"error":{"code":"rate_limit"}}')).toEqual({
    kind: "json",
    value: { error: { code: "rate_limit" } },
  });
  expect(readBody("<html><script>alert(1)</script></html>", "text/html")).toEqual({
    kind: "text",
    text: "<html><script>alert(1)</script></html>",
  });
  expect(readBody('{"truncated":', "application/json").kind).toBe("text");
});

test("a body over the cap is cut and says how long it was", () => {
  const body = readBody("x".repeat(MAX_BODY_CHARS + 2048));
  expect(body.kind === "text" && [body.text.length, body.length]).toEqual([
    MAX_BODY_CHARS,
    MAX_BODY_CHARS + 2048,
  ]);
});

test("base64 response bodies are decoded, empty ones say so, and no request body is none", () => {
  expect(responseBody(entry({ body: '{"a":1}', base64: true }))).toEqual({
    kind: "json",
    value: { a: 1 },
  });
  expect(responseBody(entry({ body: "" }))).toEqual({ kind: "none", reason: "empty" });
  expect(requestBody(entry())).toBeUndefined();
  expect(requestBody(entry({ postData: '{"prompt":"x"}' }))).toEqual({
    kind: "json",
    value: { prompt: "x" },
  });
});
