import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Frame } from "@playwright/test";
import { waitFor } from "../../dev/chromium.js";
import { parseHar } from "../../src/core/har/parse-har.js";
import { SCENARIOS } from "../../src/demo/scenarios.js";
import { analyzeEntries } from "../support/analyze.js";
import { expect, test } from "./fixtures.js";

const rows = "[data-testid=request-row]";

test.describe.configure({ mode: "serial" });

/**
 * Waits until the list has not changed for longer than the panel takes to add a request DevTools
 * never finishes (a poll plus its grace time): the previous test's traffic has all arrived.
 */
async function settled(panel: Frame): Promise<void> {
  let last = -1;
  let since = Date.now();
  await expect
    .poll(
      async () => {
        const count = await panel.locator(rows).count();
        if (count !== last) {
          last = count;
          since = Date.now();
        }
        return Date.now() - since;
      },
      { timeout: 15_000, intervals: [250] },
    )
    .toBeGreaterThan(1800);
}

test.beforeEach(async ({ demo }) => {
  await demo.devtools.show();
  await settled(demo.panel);
  // Each test starts from an empty live session, as a user pressing Clear would.
  await demo.panel.getByRole("button", { name: /^clear$/i }).click();
  await demo.panel.click("[data-testid=tab-requests]");
  await expect(demo.panel.locator(rows)).toHaveCount(0);
});

/**
 * Adds hosts in the panel's Hosts view, as a user does (the panel asks for no permission), and
 * resolves to what removes them again, so that the tests after it meet the hosts they expect.
 */
async function addHosts(
  panel: Frame,
  hosts: readonly { host: string; provider: string }[],
): Promise<() => Promise<void>> {
  const user = (host: string) => panel.locator(`[data-testid=user-host][data-host='${host}']`);
  for (const { host, provider } of hosts) {
    await panel.click("[data-testid=tab-hosts]");
    await panel.getByLabel("Host to analyse").fill(host);
    await panel.getByLabel("Read its errors as").selectOption(provider);
    await panel.getByRole("button", { name: "Add host" }).click();
    await expect(user(host)).toBeVisible();
    await panel.click("[data-testid=tab-requests]");
  }
  return async () => {
    for (const { host } of hosts) {
      await panel.click("[data-testid=tab-hosts]");
      await panel.getByRole("button", { name: `Remove ${host}` }).click();
      await expect(user(host)).toHaveCount(0);
      await panel.click("[data-testid=tab-requests]");
    }
  };
}

/** Opens every retry chain of the Findings view, so that its attempts' findings show. */
async function expandChains(panel: Frame): Promise<void> {
  const folded = panel.locator("[data-testid=chain-toggle][aria-expanded=false]");
  while ((await folded.count()) > 0) await folded.first().click();
}

for (const scenario of SCENARIOS) {
  test(`${scenario.id}: the panel shows what the client did wrong`, async ({ demo }) => {
    const { page, panel } = demo;
    const removeHosts = await addHosts(panel, scenario.userHosts ?? []);
    await page.click(scenario.button);
    await expect(page.locator("#status")).toContainText(`done: ${scenario.id}`, {
      timeout: 30_000,
    });
    const requests = Number(await page.locator("#log").evaluate((log) => log.childElementCount));

    // Every API request the page made is listed, read bodies or not.
    await expect(panel.locator(rows)).toHaveCount(requests, { timeout: 15_000 });

    await panel.click("[data-testid=tab-findings]");
    await expandChains(panel);
    for (const rule of scenario.expectedRules) {
      await expect(panel.locator(`[data-testid=finding][data-rule=${rule}]`).first()).toBeVisible();
    }
    if (scenario.expectedRules.length === 0) {
      // The careful client: nothing worse than info.
      await expect(
        panel.locator(
          "[data-testid=finding][data-severity=error], [data-testid=finding][data-severity=warning]",
        ),
      ).toHaveCount(0);
    }

    // The tag sits on the offending request, which failed with a decoded code and advice.
    await panel.click("[data-testid=tab-requests]");
    for (const rule of scenario.expectedRules) {
      const row = panel.locator(rows, {
        has: panel.locator(`[data-testid=finding-tag]`, { hasText: rule }),
      });
      await expect(row.first()).toBeVisible();
    }
    // Each host the scenario called has a live budget card.
    await panel.click("[data-testid=tab-budget]");
    for (const host of scenario.hosts) {
      await expect(panel.locator(`[data-testid=budget-host][data-host='${host}']`)).toBeVisible();
    }
    await panel.click("[data-testid=tab-requests]");

    if (scenario.expectedRules.length > 0) {
      // The offending request's error is decoded: retryability and the documented advice, and
      // its code wherever the page read the body.
      const rule = scenario.expectedRules[0] as string;
      await panel
        .locator(rows, { has: panel.locator("[data-testid=finding-tag]", { hasText: rule }) })
        .first()
        .click();
      await expect(panel.locator("[data-testid=detail-advice]")).not.toBeEmpty();
      await expect(panel.locator("[data-testid=retryable-badge]")).toHaveText(
        /^(retryable|not retryable)$/,
      );
    }
    await removeHosts();
  });
}

test("a retry of a quota_exceeded 429 is decoded, tagged and traced to the calling line", async ({
  demo,
}) => {
  const { page, panel } = demo;
  await page.click("#retry-quota");
  await expect(page.locator("#status")).toContainText("done: retry-quota", { timeout: 30_000 });
  const offending = panel.locator(rows, {
    has: panel.locator("[data-testid=finding-tag]", { hasText: "retry-non-retryable" }),
  });
  await offending.first().click();
  await expect(panel.locator("[data-testid=detail-code]")).toHaveText("quota_exceeded");
  await expect(panel.locator("[data-testid=retryable-badge]")).toHaveText("not retryable");
  await expect(panel.locator("[data-testid=detail-advice]")).toContainText(/upgrade/i);

  // The caller link names the demo page's function and its line in the page's script.
  const scenario = SCENARIOS.find((s) => s.id === "retry-quota");
  const link = panel.locator("[data-testid=caller-link]").first();
  await expect(link).toBeVisible();
  await expect(panel.locator("[data-testid=detail]")).toContainText(
    scenario?.functionName ?? "(no function)",
  );
  const title = (await link.getAttribute("title")) ?? "";
  const match = /^(.*\.js):(\d+):(\d+)$/.exec(title);
  expect(match, `caller link title: ${title}`).not.toBeNull();
  const [, url, line] = match as RegExpExecArray;
  await expect(link).toHaveText(`${url?.split("/").pop()}:${line}:${match?.[3]}`);
  const source = await (await fetch(url as string)).text();
  const calling = source.split("\n")[Number(line) - 1] ?? "";
  expect(calling, `line ${line} of ${url}`).toContain("fetch(");

  // Clicking it opens that line in DevTools' Sources panel (openResource counts lines from 0).
  await link.click();
  await expect(demo.devtools.devtools.locator(".cm-highlightedLine")).toHaveText(calling.trimEnd());
  await demo.devtools.show();
});

test("the budget shows the headers' remaining and limit and counts down to the reset", async ({
  demo,
}) => {
  const { page, panel } = demo;
  await page.click("#zero-budget");
  await expect(page.locator("#status")).toContainText("done: zero-budget", { timeout: 30_000 });
  await panel.click("[data-testid=tab-budget]");
  const card = panel.locator("[data-testid=budget-host][data-host='api.casola.ai']");
  await expect(card).toBeVisible();
  await expect(card.locator("[data-testid=budget-limit]")).toHaveText(/^\d+$/);
  await expect(card.locator("[data-testid=budget-remaining]")).toHaveText(/^\d+$/);
  const countdown = card.locator("[data-testid=budget-reset-countdown]");
  const first = await countdown.textContent();
  // It ticks by itself: no new traffic is needed for the next value.
  await expect(countdown).not.toHaveText(first ?? "", { timeout: 3_000 });
});

test("a request the page never read the body of is still listed and analysed", async ({ demo }) => {
  const { page, panel } = demo;
  // Reads the status only, like a sloppy retry loop; the mock's errors are Cache-Control: no-store.
  await page.evaluate(async () => {
    await fetch("https://api.casola.ai/v1/jobs", {
      method: "POST",
      headers: { Authorization: "Bearer demo-unread", Prefer: "code=internal_error" },
      body: "{}",
    });
  });
  const row = panel.locator(`${rows}[data-status="500"]`);
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await row.click();
  await expect(panel.locator("[data-testid=detail]")).toContainText(/not read by the page/i);
});

test("an HTML error page full of script is shown as text and runs nothing", async ({ demo }) => {
  const { page, panel } = demo;
  await page.evaluate(async () => {
    const res = await fetch("https://api.casola.ai/v1/_demo/html-error");
    await res.text();
  });
  const row = panel.locator(`${rows}[data-status="502"]`);
  await expect(row).toHaveCount(1);
  await row.click();
  const detail = panel.locator("[data-testid=detail]");
  await expect(detail).toContainText("<script>");
  const ran = await panel.evaluate(() => ({
    flag: (globalThis as { __ratelensPwned?: unknown }).__ratelensPwned,
    inlineScripts: document.querySelectorAll("script:not([src])").length,
    images: document.querySelectorAll("[data-testid=detail] img").length,
  }));
  expect(ran).toEqual({ flag: undefined, inlineScripts: 0, images: 0 });
});

test("importing a HAR shows the same findings as the CLI on that file", async ({ demo }) => {
  const { panel } = demo;
  const file = "test/fixtures/sample-session.har";
  const parsed = parseHar(readFileSync(file, "utf8"));
  if (!parsed.ok) throw new Error(parsed.message);
  const expected = analyzeEntries(parsed.entries).findings.map((f) => `${f.rule}: ${f.message}`);

  await panel.locator("input[type=file]").setInputFiles(file);
  await panel.click("[data-testid=tab-findings]");
  await expandChains(panel);
  const findings = panel.locator("[data-testid=finding]");
  await expect(findings).toHaveCount(expected.length);
  const shown: string[] = [];
  for (const finding of await findings.all()) {
    const rule = await finding.getAttribute("data-rule");
    const message = await finding.locator("[data-testid=finding-message]").textContent();
    shown.push(`${rule}: ${message}`);
  }
  expect(shown.sort()).toEqual([...expected].sort());
});

test("an exported HAR carries no token or cookie", async ({ demo }) => {
  const { page, panel, devtools } = demo;
  const downloads = mkdtempSync(join(tmpdir(), "ratelens-downloads-"));
  const session = await devtools.devtools.context().browser()?.newBrowserCDPSession();
  await session?.send("Browser.setDownloadBehavior", {
    behavior: "allow",
    downloadPath: downloads,
  });

  await page.click("#retry-401");
  await expect(page.locator("#status")).toContainText("done: retry-401", { timeout: 30_000 });
  await expect(panel.locator(rows).first()).toBeVisible();
  await panel.getByRole("button", { name: "HAR (redacted)" }).click();
  const saved = await waitFor(
    () => readdirSync(downloads).find((f) => f.endsWith(".har")),
    "the exported HAR",
  );
  const text = readFileSync(join(downloads, saved), "utf8");
  const har = parseHar(text);
  expect(har.ok).toBe(true);
  expect(text).toContain("[redacted]");
  expect(text).not.toMatch(/Bearer\s+(?!\[redacted\])[\w.-]+/);
  // The retry-401 scenario's token, sent in every request's Authorization header.
  expect(text).not.toContain("demo-cuadra-expired");
});

test("a host the user adds is analysed as the provider they chose", async ({ demo }) => {
  const { page, panel, server } = demo;
  const host = `127.0.0.1:${server.httpPort}`;
  const missing = new URL("/demo/no-such-thing.json", server.pageUrl).href;
  // Not an API host yet: the request is ignored.
  await page.evaluate(async (url) => void (await fetch(url)), missing);
  await page.waitForTimeout(1500);
  await expect(panel.locator(rows)).toHaveCount(0);

  await panel.click("[data-testid=tab-hosts]");
  await panel.getByLabel("Host to analyse").fill(host);
  await panel.getByLabel("Read its errors as").selectOption("generic");
  await panel.getByRole("button", { name: "Add host" }).click();
  // Saved to the extension's storage, and back in the panel through its change event.
  await expect(panel.locator("[data-testid=user-host]")).toContainText(host);

  await page.evaluate(async (url) => void (await fetch(url)), missing);
  await panel.click("[data-testid=tab-requests]");
  await expect(panel.locator(`${rows}[data-status="404"]`)).toHaveCount(1);

  await panel.click("[data-testid=tab-hosts]");
  await panel.getByRole("button", { name: `Remove ${host}` }).click();
  await expect(panel.locator("[data-testid=user-host]")).toHaveCount(0);
});

test("a navigation clears the session unless Preserve log is on", async ({ demo }) => {
  const { page, panel } = demo;
  const call = () =>
    page.evaluate(async () => {
      const res = await fetch("https://api.casola.ai/v1/_demo/html-error");
      await res.text();
    });
  await call();
  await expect(panel.locator(rows)).toHaveCount(1);
  await page.reload();
  await expect(panel.locator(rows)).toHaveCount(0);

  await panel.getByLabel("Preserve log").check();
  await call();
  await expect(panel.locator(rows)).toHaveCount(1);
  await page.reload();
  await call();
  await expect(panel.locator(rows)).toHaveCount(2);
  await panel.getByLabel("Preserve log").uncheck();
});
