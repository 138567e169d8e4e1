import { test } from "@playwright/test";
import { type FirefoxWithExtension, openFirefoxPanel } from "../../dev/firefox.js";
import { startDemo } from "../../src/demo/server.js";
import {
  frameScriptChannel,
  launchFirefox,
  openPage,
  ratelensPanelBrowser,
} from "./firefox-harness.js";
import { runSort } from "./sort.js";

/**
 * The request list's sort in Firefox, through the real panel in a real toolbox
 * (test/e2e/sort.ts has the steps).
 *
 * The harness's probe only reads and clicks, so this file loads a frame script of its own into
 * the panel's page for the two things it adds: a file for the panel's file input (a File made
 * in the page, as a drop makes one) and a key press. The key goes through Firefox's text input
 * processor, which dispatches it as the keyboard does, so a focused button acts on Enter and
 * Space by itself.
 */
const ACT_SCRIPT = `addMessageListener("ratelens-sort-act", ({ data }) => {
  const reply = (answer) => sendAsyncMessage("ratelens-sort-act-result", { id: data.id, ...answer });
  try {
    const doc = content.document;
    if (data.op === "import") {
      const input = doc.querySelector("input[type=file]");
      const file = new content.File([data.text], data.name, { type: "application/json" });
      const transfer = new content.DataTransfer();
      transfer.items.add(file);
      input.files = transfer.files;
      input.dispatchEvent(new content.Event("change", { bubbles: true }));
      return reply({ result: true });
    }
    const target = doc.querySelector(data.selector);
    if (!target) throw new Error("no element for " + data.selector);
    // A button acts on a key only in a focused document, as the panel is when a user types.
    content.focus();
    target.focus();
    if (!doc.hasFocus() || doc.activeElement !== target) throw new Error("could not focus " + data.selector);
    const tip = Cc["@mozilla.org/text-input-processor;1"].createInstance(Ci.nsITextInputProcessor);
    if (!tip.beginInputTransactionForTests(content)) throw new Error("no input transaction");
    const key = new content.KeyboardEvent("", data.key);
    tip.keydown(key);
    tip.keyup(key);
    reply({ result: true });
  } catch (error) {
    reply({ error: String(error) });
  }
});`;

/** What a key name means to the input processor. */
const KEYS: Record<string, { key: string; code: string; keyCode: number }> = {
  Enter: { key: "Enter", code: "Enter", keyCode: 13 },
  " ": { key: " ", code: "Space", keyCode: 32 },
};

/** Sends `message` to the frame script in the Ratelens panel of the tab at `tabUrl`. */
async function act(ff: FirefoxWithExtension, tabUrl: string, message: object): Promise<void> {
  const send = frameScriptChannel(ff, {
    find: ratelensPanelBrowser(tabUrl),
    script: ACT_SCRIPT,
    channel: "ratelens-sort-act",
    where: "the Ratelens panel",
  });
  // The panel's page, focused in the browser window, as a click into the panel makes it.
  await send(message, true);
}

test("requests show by start time; a header sorts by its column, again reverses it, by mouse or keyboard", async () => {
  test.setTimeout(90_000);
  const server = await startDemo();
  const ff = await launchFirefox({
    extensionDir: "dist/firefox",
    headless: true,
    httpsProxy: server.httpsProxy,
  });
  try {
    await openPage(ff, server.pageUrl);
    const panel = await openFirefoxPanel(ff, server.pageUrl);
    await runSort({
      importHar: (name, text) => act(ff, server.pageUrl, { op: "import", name, text }),
      attributes: (selector, name) => panel.attributes(selector, name),
      click: (selector) => panel.click(selector),
      async press(selector, name) {
        const key = KEYS[name];
        if (key === undefined) throw new Error(`no key ${name} in this test`);
        await act(ff, server.pageUrl, { op: "press", selector, key });
      },
    });
  } finally {
    await ff.close();
    await server.close();
  }
});
