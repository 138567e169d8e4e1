import { describe, expect, it } from "vitest";
import { HostTable, urlParts } from "./hosts.js";

const azure = new HostTable([{ host: "*.openai.azure.com", provider: "generic" }]);
const providerOf = (table: HostTable, url: string) => table.providerOf(urlParts(url));

describe("HostTable's *.domain patterns", () => {
  it("match a subdomain of the domain, at any depth and on any port", () => {
    expect(providerOf(azure, "https://my-resource.openai.azure.com/openai/v1")).toBe("generic");
    expect(providerOf(azure, "https://a.b.openai.azure.com/")).toBe("generic");
    expect(providerOf(azure, "https://MY-RESOURCE.OpenAI.Azure.com:8443/")).toBe("generic");
    expect(azure.isApiHost("https://my-resource.openai.azure.com/x")).toBe(true);
  });

  it.each([
    ["the bare domain", "https://openai.azure.com/"],
    ["a domain that only ends in the same letters", "https://evil-openai.azure.com/"],
    ["the domain inside a longer one", "https://evil-openai.azure.com.example/"],
    ["a subdomain of it inside a longer one", "https://x.openai.azure.com.example/"],
    ["the parent domain", "https://x.azure.com/"],
  ])("do not match %s", (_, url) => {
    expect(providerOf(azure, url)).toBeUndefined();
  });

  it("give way to an exact host, and the longest pattern wins among patterns", () => {
    const table = new HostTable(
      [
        { host: "*.azure.com", provider: "problem" },
        { host: "*.openai.azure.com", provider: "generic" },
        { host: "mock.openai.azure.com", provider: "casola" },
      ],
      [],
    );
    expect(providerOf(table, "https://mock.openai.azure.com/")).toBe("casola");
    expect(providerOf(table, "https://other.openai.azure.com/")).toBe("generic");
    expect(providerOf(table, "https://other.azure.com/")).toBe("problem");
  });

  it("leave exact hosts exact: a plain host matches none of its subdomains", () => {
    const table = new HostTable([{ host: "api.openai.com", provider: "generic" }], []);
    expect(providerOf(table, "https://api.openai.com/v1/chat")).toBe("generic");
    expect(providerOf(table, "https://eu.api.openai.com/v1/chat")).toBeUndefined();
  });
});
