// @vitest-environment happy-dom
import { readFileSync } from "node:fs";
import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_HOSTS } from "../core/hosts.js";
import { HostList, LimitList } from "./setting-lists.js";

afterEach(cleanup);

const hosts = [
  { host: "staging.casola.ai", provider: "casola" as const },
  { host: "127.0.0.1:8080", provider: "problem" as const },
];
const limits = [{ host: "api.cuadra.ai", limit: 300, windowSeconds: 60 }];

describe("HostList", () => {
  it("lists the documented hosts, then the user's, each under the surface's test ids", () => {
    for (const [surface, defaultId, hostId] of [
      ["panel", undefined, "user-host"],
      ["options", "options-default-host", "options-host"],
    ] as const) {
      const onRemove = vi.fn();
      const { container, unmount } = render(
        <HostList surface={surface} hosts={hosts} onRemove={onRemove} />,
      );
      const rows = [...container.querySelectorAll("tbody tr")] as HTMLElement[];
      expect(rows.map((r) => r.dataset.host)).toEqual([
        ...DEFAULT_HOSTS.map((h) => h.host),
        "staging.casola.ai",
        "127.0.0.1:8080",
      ]);
      expect(rows.map((r) => r.dataset.testid ?? null)).toEqual([
        ...DEFAULT_HOSTS.map(() => defaultId ?? null),
        hostId,
        hostId,
      ]);
      // Only the user's hosts can be removed.
      expect(screen.getAllByRole("button", { name: /^Remove / })).toHaveLength(2);
      fireEvent.click(screen.getByRole("button", { name: "Remove 127.0.0.1:8080" }));
      expect(onRemove, surface).toHaveBeenCalledWith("127.0.0.1:8080");
      unmount();
    }
  });
});

describe("LimitList", () => {
  it("lists the user's limits with a Remove each, under the surface's test ids", () => {
    for (const [surface, id] of [
      ["panel", "user-limit"],
      ["options", "options-limit"],
    ] as const) {
      const onRemove = vi.fn();
      const { unmount } = render(
        <LimitList surface={surface} limits={limits} onRemove={onRemove} />,
      );
      expect(screen.getByTestId(id).textContent).toContain("300 requests per 60 s");
      fireEvent.click(screen.getByRole("button", { name: "Remove the limit of api.cuadra.ai" }));
      expect(onRemove, surface).toHaveBeenCalledWith("api.cuadra.ai");
      unmount();
    }
  });

  it("says documented limits apply when the options page has none to list", () => {
    render(<LimitList surface="options" limits={[]} onRemove={() => {}} />);
    expect(screen.getByText("None: documented limits apply.")).toBeTruthy();
  });
});

describe("the panel and the options page", () => {
  it("draw host and limit lists only through these components", () => {
    for (const file of [
      "../panel/components/hosts-view.tsx",
      "../options/components/hosts-section.tsx",
      "../options/components/limits-section.tsx",
    ]) {
      const text = readFileSync(new URL(file, import.meta.url), "utf8");
      expect(text, file).toContain('from "../../ui/setting-lists.js"');
      expect(text, file).not.toMatch(/<table|\.filter\(\(\w+\) => \w+\.host !==/);
    }
  });
});
