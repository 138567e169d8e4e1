import { expect, test } from "vitest";
import { entry } from "../../test/support/har.js";
import { bodyView, MAX_BODY_CHARS, responseBodyView } from "./body.js";

test("a JSON body is parsed for the tree; anything else stays text", () => {
  expect(bodyView('{"error":{"code":"rate_limit"}}')).toEqual({
    kind: "json",
    value: { error: { code: "rate_limit" } },
  });
  expect(bodyView("<html><script>alert(1)</script></html>", "text/html")).toEqual({
    kind: "text",
    text: "<html><script>alert(1)</script></html>",
  });
  expect(bodyView('{"truncated":', "application/json").kind).toBe("text");
});

test("a body over the cap is cut, with a note of how much", () => {
  const view = bodyView("x".repeat(MAX_BODY_CHARS + 2048));
  expect(view.kind).toBe("text");
  if (view.kind !== "text") return;
  expect(view.text).toHaveLength(MAX_BODY_CHARS);
  expect(view.note).toBe("Showing the first 256 KB of 258 KB: 2 KB cut.");
});

test("base64 bodies are decoded and empty ones say so", () => {
  expect(responseBodyView(entry({ body: '{"a":1}', base64: true }))).toEqual({
    kind: "json",
    value: { a: 1 },
  });
  expect(responseBodyView(entry({ body: "" }))).toEqual({
    kind: "none",
    note: "No response body.",
  });
});
