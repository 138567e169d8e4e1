import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The built CLI (`npm run build:cli`). */
export const RATELENS = fileURLToPath(new URL("../../bin/ratelens.mjs", import.meta.url));

export interface RunningMock {
  base: string;
  hostPort: string;
  lines: string[];
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** `ratelens mock --port 0`, once its first line names the address it listens on. */
export function startMock(args: readonly string[]): Promise<RunningMock> {
  const child = spawn(process.execPath, [RATELENS, "mock", "--port", "0", ...args]);
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  const lines: string[] = [];
  return new Promise((done, fail) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      lines.push(line);
      if (lines.length > 1) return;
      const base = /(http:\/\/\S+:\d+)/.exec(line)?.[1];
      if (base === undefined) fail(new Error(`no address on the first line: ${line}`));
      else done({ base, hostPort: new URL(base).host, lines, child, exited });
    });
    void exited.then((code) => fail(new Error(`ratelens mock exited with ${code}`)));
  });
}
