import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root, the CLI tests' working directory. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The CLI as a user runs it. */
export const BIN = join(ROOT, "bin/ratelens.mjs");

/** A fixture's path under the root. */
export const fixturePath = (name: string) => join(ROOT, "test/fixtures", `${name}.har`);

export interface RunOptions {
  input?: string;
  env?: Record<string, string>;
}

/** The built CLI run in a process of its own, from the root, without colour unless `env` says. */
export function ratelens(args: readonly string[], options: RunOptions = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input: options.input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** For a beforeAll: the CLI tests run the built CLI, so say how to build it when it is not. */
export function requireBuiltCli(): void {
  if (!readFileSync(join(ROOT, "dist/cli/ratelens.js"), "utf8"))
    throw new Error("build the CLI first: npm run build:cli");
}
