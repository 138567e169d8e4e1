import { describe, expect, it } from "vitest";
import { hostnameOf, hostPattern, mayRemovePermission } from "./host-permission.js";

describe("host permissions", () => {
  it("names the hostname without the port, brackets kept", () => {
    expect(hostnameOf("127.0.0.1:8080")).toBe("127.0.0.1");
    expect(hostnameOf("staging.casola.ai")).toBe("staging.casola.ai");
    expect(hostnameOf("[::1]:9000")).toBe("[::1]");
    expect(hostnameOf("[::1]")).toBe("[::1]");
  });

  it("asks for a host's hostname on every port and scheme", () => {
    expect(hostPattern("127.0.0.1:8080")).toBe("*://127.0.0.1/*");
    expect(hostPattern("staging.casola.ai")).toBe("*://staging.casola.ai/*");
  });

  it("keeps a permission another port of the same hostname still needs", () => {
    const other = [{ host: "127.0.0.1:9090", provider: "casola" as const }];
    expect(mayRemovePermission("127.0.0.1:8080", other, [])).toBe(false);
    expect(mayRemovePermission("127.0.0.1:8080", [], [])).toBe(true);
  });

  it("never gives back a documented host's permission", () => {
    expect(mayRemovePermission("api.casola.ai", [], [])).toBe(false);
    expect(mayRemovePermission("api.cuadra.ai:8443", [], [])).toBe(false);
  });

  it("keeps a permission a provider that is on still needs, and only then", () => {
    expect(mayRemovePermission("api.github.com", [], ["github"])).toBe(false);
    expect(mayRemovePermission("mine.openai.azure.com:8443", [], ["azure-openai"])).toBe(false);
    expect(mayRemovePermission("api.github.com", [], ["openai", "azure-openai"])).toBe(true);
    expect(mayRemovePermission("openai.azure.com", [], ["azure-openai"])).toBe(true);
  });
});
