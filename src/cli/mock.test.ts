import { describe, expect, it } from "vitest";
import { MOCK_SCENARIOS } from "../demo/mock-scenarios.js";
import { answerLine, isLoopback, MOCK_USAGE, MockUsageError, parseMockArgs } from "./mock.js";

function parsed(argv: string[]) {
  const command = parseMockArgs(argv);
  if (command === "help") throw new Error("help");
  return command;
}

describe("ratelens mock's options", () => {
  it("defaults to Casola on 127.0.0.1:8080 with no scenario", () => {
    expect(parsed([])).toEqual({
      port: 8080,
      host: "127.0.0.1",
      provider: "casola",
      scenario: undefined,
      failRate: undefined,
    });
  });

  it("reads the port, host, provider, a scenario or a fail rate", () => {
    const command = parsed([
      "--port",
      "0",
      "--host",
      "0.0.0.0",
      "--provider",
      "cuadra",
      "--scenario",
      "credits",
    ]);
    expect([command.port, command.host, command.provider, command.scenario?.name]).toEqual([
      0,
      "0.0.0.0",
      "cuadra",
      "credits",
    ]);
    expect(parsed(["--fail-rate=0.25"]).failRate).toBe(0.25);
  });

  it("answers -h and --help with the usage", () => {
    expect(parseMockArgs(["-h"])).toBe("help");
    expect(parseMockArgs(["--scenario", "quota", "--help"])).toBe("help");
  });

  it.each([
    [["--port", "http"], '--port must be a number from 0 to 65535, not "http"'],
    [["--port", "70000"], '--port must be a number from 0 to 65535, not "70000"'],
    [["--provider", "openai"], '--provider must be casola or cuadra, not "openai"'],
    [["--scenario", "nope"], 'unknown scenario "nope": one of '],
    [["--scenario", "credits"], "scenario credits is cuadra only: add --provider cuadra"],
    [["--scenario", "quota", "--fail-rate", "0.1"], "give --scenario or --fail-rate, not both"],
    [["--fail-rate", "1.5"], '--fail-rate must be a number from 0 to 1, not "1.5"'],
    [["--fail-rate", "lots"], '--fail-rate must be a number from 0 to 1, not "lots"'],
    [["--verbose"], "Unknown option '--verbose'"],
    [["extra"], "Unexpected argument 'extra'"],
  ])("refuses %j with a one-line message", (argv, message) => {
    expect(() => parseMockArgs(argv)).toThrow(MockUsageError);
    expect(() => parseMockArgs(argv)).toThrow(message);
  });

  it("lists every scenario in --help, a line each", () => {
    for (const scenario of MOCK_SCENARIOS) {
      const line = MOCK_USAGE.split("\n").find((l) => l.trim().startsWith(`${scenario.name} `));
      expect(line, scenario.name).toContain(scenario.summary);
    }
  });

  it("keeps --help within 100 columns", () => {
    for (const line of MOCK_USAGE.split("\n").slice(1))
      expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe("isLoopback", () => {
  it.each(["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"])("%s is loopback", (host) => {
    expect(isLoopback(host)).toBe(true);
  });
  it.each(["0.0.0.0", "::", "192.168.1.5", "example.com"])("%s is not", (host) => {
    expect(isLoopback(host)).toBe(false);
  });
});

describe("answerLine", () => {
  it("prints time, method, path, status and code; a success's code is -", () => {
    const at = new Date("2026-12-07T03:59:01.123Z");
    expect(
      answerLine({ method: "POST", path: "/v1/jobs", status: 429, code: "rate_limit" }, at),
    ).toBe("2026-12-07T03:59:01.123Z POST /v1/jobs 429 rate_limit");
    expect(
      answerLine({ method: "GET", path: "/v1/models", status: 200, code: undefined }, at),
    ).toBe("2026-12-07T03:59:01.123Z GET /v1/models 200 -");
  });
});
