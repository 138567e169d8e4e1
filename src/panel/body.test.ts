import { expect, test } from "vitest";
import { entry } from "../../test/support/har.js";
import { MAX_BODY_CHARS, readBody, responseBody } from "../core/explain/body.js";
import { bodyView } from "./body.js";

test("JSON goes to the tree and text stays text", () => {
  expect(bodyView(readBody('{"error":{"code":"rate_limit"}}'))).toEqual({
    kind: "json",
    value: { error: { code: "rate_limit" } },
  });
  expect(bodyView(readBody("<p>x</p>", "text/html"))).toEqual({ kind: "text", text: "<p>x</p>" });
});

test("a body over the cap is cut, with a note of how much", () => {
  const view = bodyView(readBody("x".repeat(MAX_BODY_CHARS + 2048)));
  expect(view.kind).toBe("text");
  if (view.kind !== "text") return;
  expect(view.text).toHaveLength(MAX_BODY_CHARS);
  expect(view.note).toBe("Showing the first 256 KB of 258 KB: 2 KB cut.");
});

test("a body that is not there says why", () => {
  expect(bodyView(responseBody(entry({ body: "" })))).toEqual({
    kind: "none",
    note: "No response body.",
  });
  expect(bodyView({ kind: "none", reason: "too-large", size: 9 * 1024 * 1024 })).toEqual({
    kind: "none",
    note: "The body is too large to show (9 MB).",
  });
});
