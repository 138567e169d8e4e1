/**
 * `npm run bench:cli [-- --quick] [-- --formats]`: the CLI against a baseline run in the same
 * script, on synthetic HARs (scripts/make-har.mjs) in a temporary directory, deleted at the end.
 *
 * - `analyze --format json` against plain `JSON.parse` of the same file (read + parse, as a
 *   script would), time and peak RSS, at 10k, 100k and 300k entries (quick: 10k and 100k);
 * - the streaming parsers: @streamparser/json against the scanner that finds each entry's bytes
 *   and parses only those, on the 100k file;
 * - a 2 GB HAR (quick: 600 MB) through the CLI: peak RSS, and MB/s against JSON.parse's MB/s
 *   on the largest file it can still parse; standard input too;
 * - every report format on a 1.1 GB HAR with about 500,000 findings (quick: 300 MB), peak RSS
 *   against the 300 MB bound; `--formats` runs only this part.
 *
 * Every measurement is a fresh process; the two sides of a ratio run alternately, and the ratio is
 * of medians. The load average is printed beside each line: other work on the machine slows both
 * sides, not always alike. Timings vary with the machine: no test asserts them.
 */
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HarScanner } from "../src/cli/har-scanner.js";
import { Analyzer } from "../src/core/analyzer.js";
import type { HarEntry } from "../src/core/types.js";

const here = fileURLToPath(import.meta.url);
const root = join(dirname(here), "../..");
const cli = join(root, "dist/cli/ratelens.js");

interface Run {
  ms: number;
  rssMb: number;
  entries?: number;
  analysisMs?: number;
}

// --- the child processes: one measurement each -------------------------------------------------

function report(extra: Record<string, unknown> = {}): void {
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stderr.write(`\nBENCH ${JSON.stringify({ rssMb, ...extra })}\n`);
}

async function child(mode: string, file: string): Promise<void> {
  if (mode === "parse") {
    const json = JSON.parse(readFileSync(file, "utf8")) as { log: { entries: unknown[] } };
    report({ entries: json.log.entries.length });
    return;
  }
  if (mode === "analysis") {
    // What bounds the CLI: Analyzer.add on every entry, the file already parsed.
    const json = JSON.parse(readFileSync(file, "utf8")) as { log: { entries: HarEntry[] } };
    const analyzer = new Analyzer({ keepEntries: false });
    const begin = performance.now();
    json.log.entries.forEach((entry, index) => {
      analyzer.add(entry, index);
    });
    report({ entries: json.log.entries.length, analysisMs: performance.now() - begin });
    return;
  }
  if (mode === "scanner") {
    let entries = 0;
    const scanner = new HarScanner((element) => {
      JSON.parse(element.bytes.toString("utf8"));
      entries++;
    });
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }))
      scanner.push(chunk as Buffer);
    scanner.end();
    report({ entries });
    return;
  }
  if (mode === "streamparser") {
    const { JSONParser } = await import("@streamparser/json");
    let entries = 0;
    const parser = new JSONParser({ paths: ["$.log.entries.*"], keepStack: false });
    parser.onValue = () => {
      entries++;
    };
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }))
      parser.write(chunk as Buffer);
    report({ entries });
    return;
  }
  if (mode === "cli" || mode === "cli-stdin" || mode.startsWith("cli:")) {
    const format = mode.startsWith("cli:") ? mode.slice(4) : "json";
    process.argv = [
      process.argv[0] as string,
      cli,
      "analyze",
      mode === "cli-stdin" ? "-" : file,
      "--format",
      format,
      "--fail-on",
      "never",
    ];
    process.on("exit", () => report());
    await import(cli);
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

// --- the parent ----------------------------------------------------------------------------------

function measure(mode: string, file: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const begin = performance.now();
    const stdin = mode === "cli-stdin" ? "pipe" : "ignore";
    const proc = spawn(process.execPath, [here, "--child", mode, file], {
      stdio: [stdin, "ignore", "pipe"],
    });
    if (mode === "cli-stdin" && proc.stdin !== null) createReadStream(file).pipe(proc.stdin);
    let stderr = "";
    proc.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    proc.on("close", (code) => {
      const ms = performance.now() - begin;
      const line = /BENCH (.+)/.exec(stderr);
      if (code !== 0 || line === null) {
        reject(new Error(`${mode} ${file}: exit ${code}: ${stderr.slice(-500)}`));
        return;
      }
      resolve({ ms, ...(JSON.parse(line[1] as string) as Omit<Run, "ms">) });
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Baseline and candidate alternately, `rounds` times each: their medians. */
async function alternate(
  baseline: string,
  candidate: string,
  file: string,
  rounds: number,
): Promise<{ base: Run; cand: Run }> {
  const bases: Run[] = [];
  const cands: Run[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate who goes first too, so that a slow stretch of the machine hits both.
    if (i % 2 === 0) {
      bases.push(await measure(baseline, file));
      cands.push(await measure(candidate, file));
    } else {
      cands.push(await measure(candidate, file));
      bases.push(await measure(baseline, file));
    }
  }
  const pick = (runs: Run[]): Run => ({
    ms: median(runs.map((r) => r.ms)),
    rssMb: median(runs.map((r) => r.rssMb)),
    entries: runs[0]?.entries,
  });
  return { base: pick(bases), cand: pick(cands) };
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
const mb = (file: string) => statSync(file).size / 1024 / 1024;
const rows: string[][] = [];

function row(what: string, baseline: string, ratelens: string, ratio: string, command: string) {
  rows.push([what, baseline, ratelens, ratio, command]);
  console.log(`${[what, baseline, ratelens, ratio].join(" | ")}   (load ${load()})`);
}

function generate(dir: string, name: string, args: string[]): string {
  const file = join(dir, name);
  const made = spawnSync(process.execPath, [join(root, "scripts/make-har.mjs"), file, ...args], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (made.status !== 0) throw new Error(`make-har ${args.join(" ")} failed`);
  return file;
}

/** Findings and chains of a file, from the CLI's text report (a few kB whatever the file). */
function countFindings(file: string): { findings: number; chains: number } {
  const run = spawnSync(
    process.execPath,
    [cli, "analyze", file, "--format", "text", "--fail-on", "never"],
    { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } },
  );
  const findings = /findings: (\d+) errors?, (\d+) warnings?, (\d+) info/.exec(run.stdout);
  const chains = /in (\d+) retry chains?/.exec(run.stdout);
  return {
    findings: findings === null ? Number.NaN : findings.slice(1).reduce((n, d) => n + Number(d), 0),
    chains: Number(chains?.[1] ?? 0),
  };
}

/** 5. Every format on a findings-dense file: the reports stream, so memory is bounded. */
async function formats(dir: string, quick: boolean): Promise<void> {
  const size = quick ? "300M" : "1.1G";
  const dense = generate(dir, "dense.har", ["--bytes", size, "--errors", "0.7"]);
  const { findings, chains } = countFindings(dense);
  for (const format of ["text", "json", "markdown", "html", "sarif"]) {
    const runs: Run[] = [];
    for (let i = 0; i < (quick ? 1 : 2); i++) runs.push(await measure(`cli:${format}`, dense));
    const rss = median(runs.map((r) => r.rssMb));
    row(
      `${size}B HAR (${mb(dense).toFixed(0)} MB, ${findings} findings, ${chains} chains), --format ${format}: peak RSS`,
      "at most 300 MB",
      `${rss.toFixed(0)} MB (${(median(runs.map((r) => r.ms)) / 1000).toFixed(1)} s)`,
      `${(rss / 300).toFixed(2)}x the bound`,
      `ratelens analyze dense.har --format ${format}`,
    );
  }
}

function printTable(): void {
  console.log(
    "\n| what | baseline | Ratelens | ratio | command |\n| --- | --- | --- | --- | --- |",
  );
  for (const r of rows)
    console.log(`| ${r.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`);
  console.log(`\nload average at the end: ${load()}`);
}

async function parent(quick: boolean, onlyFormats: boolean): Promise<void> {
  const rounds = 3;
  const dir = mkdtempSync(join(tmpdir(), "ratelens-bench-"));
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? "?"}, Node ${process.version}; load ${load()}`,
  );
  if (onlyFormats) {
    try {
      await formats(dir, quick);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    printTable();
    return;
  }
  try {
    const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 300_000];
    const files = new Map<number, string>();
    for (const n of sizes) files.set(n, generate(dir, `${n}.har`, ["--entries", String(n)]));

    // 1. The CLI against JSON.parse, time and memory, at each size.
    let parseMbPerS = 0;
    for (const n of sizes) {
      const file = files.get(n) as string;
      const size = mb(file);
      const { base, cand } = await alternate("parse", "cli", file, rounds);
      const k = `${n / 1000}k`;
      const cmd = `ratelens analyze ${k}.har --format json`;
      row(
        `${k} entries (${size.toFixed(0)} MB): time`,
        `JSON.parse ${(base.ms / 1000).toFixed(2)} s`,
        `${(cand.ms / 1000).toFixed(2)} s`,
        `${(cand.ms / base.ms).toFixed(2)}x`,
        cmd,
      );
      row(
        `${k}: per entry`,
        `${((base.ms * 1000) / n).toFixed(1)} µs`,
        `${((cand.ms * 1000) / n).toFixed(1)} µs`,
        `${(cand.ms / base.ms).toFixed(2)}x`,
        cmd,
      );
      row(
        `${k}: peak RSS`,
        `JSON.parse ${base.rssMb.toFixed(0)} MB; file ${size.toFixed(0)} MB`,
        `${cand.rssMb.toFixed(0)} MB`,
        `${(cand.rssMb / size).toFixed(2)}x the file`,
        cmd,
      );
      parseMbPerS = (size * 1000) / base.ms;
    }

    // 2. The streaming parsers on the 100k file.
    const file100k = files.get(100_000) as string;
    const size100k = mb(file100k);
    for (const parser of ["streamparser", "scanner"]) {
      const { base, cand } = await alternate("parse", parser, file100k, rounds);
      const name = parser === "scanner" ? "scanner + JSON.parse per entry" : "@streamparser/json";
      row(
        `100k: ${name}, each entry as an object`,
        `JSON.parse ${((size100k * 1000) / base.ms).toFixed(0)} MB/s, ${base.rssMb.toFixed(0)} MB`,
        `${((size100k * 1000) / cand.ms).toFixed(0)} MB/s, ${cand.rssMb.toFixed(0)} MB`,
        `${(cand.ms / base.ms).toFixed(2)}x time`,
        `bench-cli --child ${parser}`,
      );
    }

    // What bounds it: the analysis alone, in the process that parsed the file.
    {
      const runs: Run[] = [];
      for (let i = 0; i < rounds; i++) runs.push(await measure("analysis", file100k));
      const analysisMs = median(runs.map((r) => r.analysisMs ?? 0));
      row(
        "100k: Analyzer.add alone (file parsed)",
        "-",
        `${(analysisMs / 1000).toFixed(2)} s, ${((analysisMs * 1000) / 100_000).toFixed(1)} µs/entry`,
        "-",
        "bench-cli --child analysis",
      );
    }

    // 3. Standard input.
    {
      const { base, cand } = await alternate("cli", "cli-stdin", file100k, rounds);
      row(
        "100k: from standard input",
        `the file ${(base.ms / 1000).toFixed(2)} s, ${base.rssMb.toFixed(0)} MB`,
        `${(cand.ms / 1000).toFixed(2)} s, ${cand.rssMb.toFixed(0)} MB`,
        `${(cand.ms / base.ms).toFixed(2)}x`,
        "cat 100k.har | ratelens analyze - --format json",
      );
    }

    // 4. A file beyond V8's string limit, streamed.
    const bigSize = quick ? "600M" : "2G";
    const big = generate(dir, "big.har", ["--bytes", bigSize]);
    const largest = files.get(sizes[sizes.length - 1] as number) as string;
    const bigRuns: Run[] = [];
    const parseRuns: Run[] = [];
    for (let i = 0; i < (quick ? 1 : 2); i++) {
      parseRuns.push(await measure("parse", largest));
      bigRuns.push(await measure("cli", big));
    }
    const bigMb = mb(big);
    const bigMs = median(bigRuns.map((r) => r.ms));
    const bigRate = (bigMb * 1000) / bigMs;
    parseMbPerS = (mb(largest) * 1000) / median(parseRuns.map((r) => r.ms));
    row(
      `${bigSize}B HAR (${bigMb.toFixed(0)} MB): peak RSS`,
      "at most 300 MB",
      `${median(bigRuns.map((r) => r.rssMb)).toFixed(0)} MB`,
      `${(median(bigRuns.map((r) => r.rssMb)) / 300).toFixed(2)}x the bound`,
      `ratelens analyze big.har --format json`,
    );
    row(
      `${bigSize}B HAR: throughput`,
      `JSON.parse ${parseMbPerS.toFixed(0)} MB/s (${mb(largest).toFixed(0)} MB file)`,
      `${bigRate.toFixed(0)} MB/s (${(bigMs / 1000).toFixed(1)} s)`,
      `${(bigRate / parseMbPerS).toFixed(2)}x JSON.parse's MB/s`,
      `ratelens analyze big.har --format json`,
    );
    rmSync(big);
    await formats(dir, quick);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable();
}

const args = process.argv.slice(2);
if (args[0] === "--child") await child(args[1] as string, args[2] as string);
else await parent(args.includes("--quick"), args.includes("--formats"));
