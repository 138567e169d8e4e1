import { describe, expect, it } from "vitest";
import { HostTable, urlParts } from "./hosts.js";
import { PRESETS, presetHosts, presetOrigins } from "./presets.js";

describe("the provider presets", () => {
  it("name each provider's API host, read as generic", () => {
    expect(PRESETS.map((p) => [p.name, p.hosts.map((h) => h.host)])).toEqual([
      ["OpenAI", ["api.openai.com"]],
      ["Anthropic", ["api.anthropic.com"]],
      ["GitHub", ["api.github.com"]],
      ["Google Gemini", ["generativelanguage.googleapis.com"]],
      ["Mistral", ["api.mistral.ai"]],
      ["Groq", ["api.groq.com"]],
      ["Azure OpenAI", ["*.openai.azure.com"]],
    ]);
    expect(new Set(PRESETS.flatMap((p) => p.hosts.map((h) => h.provider)))).toEqual(
      new Set(["generic"]),
    );
  });

  it("ask for HTTPS on their hosts, the wildcard kept as a wildcard", () => {
    const origins = (id: string) => PRESETS.filter((p) => p.id === id).flatMap(presetOrigins);
    expect(origins("openai")).toEqual(["https://api.openai.com/*"]);
    expect(origins("azure-openai")).toEqual(["https://*.openai.azure.com/*"]);
  });

  it("feed the host table only when on", () => {
    const table = new HostTable(presetHosts(["azure-openai", "github"]));
    expect(table.providerOf(urlParts("https://api.github.com/user"))).toBe("generic");
    expect(table.providerOf(urlParts("https://res.openai.azure.com/"))).toBe("generic");
    expect(table.providerOf(urlParts("https://api.openai.com/v1"))).toBeUndefined();
    expect(presetHosts([])).toEqual([]);
  });
});
