import { test } from "./fixtures.js";
import { runSort } from "./sort.js";

/**
 * The request list's sort in Chromium, through the real DevTools panel (test/e2e/sort.ts has the
 * steps): an imported recording listed out of start order, shown by start time, sorted by a
 * header's click and by the keyboard.
 */
test("requests show by start time; a header sorts by its column, again reverses it, by mouse or keyboard", async ({
  demo,
}) => {
  const { panel } = demo;
  await demo.devtools.show();
  await runSort({
    importHar: (name, text) =>
      panel.locator("input[type=file]").setInputFiles({
        name,
        mimeType: "application/json",
        buffer: Buffer.from(text, "utf8"),
      }),
    attributes: (selector, name) =>
      panel.locator(selector).evaluateAll((all, n) => all.map((e) => e.getAttribute(n)), name),
    click: (selector) => panel.click(selector),
    press: (selector, key) => panel.press(selector, key),
  });
  // The browser is shared with other files' tests: leave the panel live, as Clear does.
  await panel.getByRole("button", { name: /^clear$/i }).click();
});
