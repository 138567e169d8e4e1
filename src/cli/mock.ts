/**
 * `ratelens mock`: the demo's mock API (src/demo/mock-api.ts) on one port, answering as Casola or
 * Cuadra, so a developer points their own client at it and watches its retries in the panel.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { createMockApi, type MockAnswer } from "../demo/mock-api.js";
import {
  MOCK_PROVIDERS,
  MOCK_SCENARIOS,
  type MockProvider,
  type MockScenario,
  mockApiOptions,
  mockScenario,
} from "../demo/mock-scenarios.js";

export interface MockCommand {
  port: number;
  host: string;
  provider: MockProvider;
  scenario: MockScenario | undefined;
  failRate: number | undefined;
}

const SCENARIO_LINES = MOCK_SCENARIOS.map((scenario) => {
  const only = scenario.providers.length === 1 ? ` (${scenario.providers[0]} only)` : "";
  return `  ${scenario.name.padEnd(14)} ${scenario.summary}${only}`;
}).join("\n");

export const MOCK_USAGE = `Usage: ratelens mock [--port 8080] [--host 127.0.0.1] [--provider casola|cuadra] [--scenario NAME | --fail-rate 0.2]

Serves Casola's (or Cuadra's) API as documented, every error with its documented body, on
http://HOST:PORT, for any API key: point your client at it and watch its retries in Ratelens.
Prints a line per request it answers. Ctrl-C stops it.

Options:
  --port N               the port (default 8080; 0 picks a free one)
  --host ADDRESS         the interface (default 127.0.0.1; any other is reachable from elsewhere)
  --provider NAME        casola (default) or cuadra
  --scenario NAME        answer with a scenario's documented errors (below)
  --fail-rate R          answer a share R (0 to 1) of requests with a random retryable error
  -h, --help             this text

Without a scenario: 60 requests per minute per key, then 429 with Retry-After. A request header
\`Prefer: code=CODE\` answers that documented error at once (code=quota_exceeded, code=402).

Scenarios:
${SCENARIO_LINES}

Exit status: 0 stopped by Ctrl-C (SIGINT) or SIGTERM, 2 usage error or the port taken.`;

export class MockUsageError extends Error {}

/** argv after `mock`; `help` for -h; throws MockUsageError with a one-line message. */
export function parseMockArgs(argv: readonly string[]): MockCommand | "help" {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new MockUsageError(error instanceof Error ? error.message.split("\n")[0] : String(error));
  }
  const { values } = parsed;
  if (values.help) return "help";
  const port = Number(values.port);
  if (!/^\d{1,5}$/.test(values.port) || port > 65_535) {
    throw new MockUsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
  }
  if (values.host.trim() === "") throw new MockUsageError("--host needs an address");
  const provider = MOCK_PROVIDERS.find((name) => name === values.provider);
  if (provider === undefined) {
    throw new MockUsageError(`--provider must be casola or cuadra, not "${values.provider}"`);
  }
  if (values.scenario !== undefined && values["fail-rate"] !== undefined) {
    throw new MockUsageError("give --scenario or --fail-rate, not both");
  }
  let scenario: MockScenario | undefined;
  if (values.scenario !== undefined) {
    scenario = mockScenario(values.scenario);
    if (scenario === undefined) {
      const names = MOCK_SCENARIOS.map((s) => s.name).join(", ");
      throw new MockUsageError(`unknown scenario "${values.scenario}": one of ${names}`);
    }
    if (!scenario.providers.includes(provider)) {
      throw new MockUsageError(
        `scenario ${scenario.name} is ${scenario.providers.join(" and ")} only: add --provider ${scenario.providers[0]}`,
      );
    }
  }
  let failRate: number | undefined;
  if (values["fail-rate"] !== undefined) {
    const text = values["fail-rate"];
    failRate = Number(text);
    if (text.trim() === "" || !Number.isFinite(failRate) || failRate < 0 || failRate > 1) {
      throw new MockUsageError(`--fail-rate must be a number from 0 to 1, not "${text}"`);
    }
  }
  return { port, host: values.host, provider, scenario, failRate };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: false,
    strict: true,
    options: {
      port: { type: "string", default: "8080" },
      host: { type: "string", default: "127.0.0.1" },
      provider: { type: "string", default: "casola" },
      scenario: { type: "string" },
      "fail-rate": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** 127.0.0.0/8, ::1 and localhost: nothing outside the machine reaches them. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    bare === "localhost" ||
    bare === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) ||
    /^::ffff:127\./.test(bare)
  );
}

/** `2026-12-07T03:59:01.123Z POST /v1/jobs 429 rate_limit`; a success's code is `-`. */
export function answerLine(answer: MockAnswer, at: Date): string {
  return `${at.toISOString()} ${answer.method} ${answer.path} ${answer.status} ${answer.code ?? "-"}`;
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      done((server.address() as AddressInfo).port);
    });
  });
}

function listenError(error: unknown, command: MockCommand): string {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `port ${command.port} on ${command.host}`;
  if (code === "EADDRINUSE") return `${where} is already in use: pick another with --port`;
  if (code === "EACCES") return `${where} needs privileges: pick a port above 1023 with --port`;
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return `cannot listen on ${command.host}: no such address on this machine`;
  }
  return `cannot listen on ${where}: ${error instanceof Error ? error.message : String(error)}`;
}

const PROVIDER_NAMES: Readonly<Record<MockProvider, string>> = {
  casola: "Casola",
  cuadra: "Cuadra",
};

export async function runMock(argv: readonly string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const err = (line: string) => process.stderr.write(`ratelens mock: ${line}\n`);
  let command: MockCommand | "help";
  try {
    command = parseMockArgs(argv);
  } catch (error) {
    if (!(error instanceof MockUsageError)) throw error;
    err(error.message);
    process.stderr.write(`${MOCK_USAGE.split("\n")[0]}\n`);
    return 2;
  }
  if (command === "help") {
    out(MOCK_USAGE);
    return 0;
  }
  const api = createMockApi({
    ...mockApiOptions(command),
    onAnswer: (answer) => out(answerLine(answer, new Date())),
  });
  const server = http.createServer(api);
  let port: number;
  try {
    port = await listen(server, command.port, command.host);
  } catch (error) {
    err(listenError(error, command));
    return 2;
  }
  const host = command.host.includes(":") ? `[${command.host}]` : command.host;
  const base = `http://${host}:${port}`;
  const what = command.scenario
    ? `scenario ${command.scenario.name}`
    : command.failRate !== undefined
      ? `fail rate ${command.failRate}`
      : "no scenario";
  out(`ratelens mock: ${PROVIDER_NAMES[command.provider]} API at ${base} (${what})`);
  out(
    `Point your client's API base at ${base}. In Ratelens add the host ${host}:${port} as ${command.provider}; Ctrl-C stops it.`,
  );
  if (!isLoopback(command.host)) {
    err(`warning: listening on ${command.host}, which other machines may reach`);
  }
  return await new Promise<number>((done) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      server.close(() => done(0));
      // A client's keep-alive connection would otherwise hold close() open.
      server.closeAllConnections();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
