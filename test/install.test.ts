import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  version: string;
};
const scratch = mkdtempSync(join(tmpdir(), "ratelens-install-"));

/**
 * A shell as a user's: no npm_* variables from the `npm test` this runs under (they would point
 * npm at this repository), npm's cache empty, and Node on the PATH for the bin's shebang.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) env[key] = value;
  }
  env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ""}`;
  env.npm_config_cache = join(scratch, "npm-cache");
  env.NO_COLOR = "1";
  return env;
}

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, env: cleanEnv(), encoding: "utf8" });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

let packed: Packed;
let tarball: string;
const prefix = join(scratch, "prefix");
const elsewhere = join(scratch, "elsewhere");

beforeAll(() => {
  if (!existsSync(join(root, "dist/cli/ratelens.js")))
    throw new Error("build the CLI first: npm run build:cli");
  // The suite's CLI build is packed as it is: a rebuild here (the prepare script npm runs on
  // pack) would empty dist/cli under the CLI tests running beside this one.
  const pack = run(
    "npm",
    ["pack", "--json", "--ignore-scripts", "--pack-destination", scratch],
    root,
  );
  expect(pack.stderr).not.toMatch(/ERR!/);
  expect(pack.status).toBe(0);
  packed = (JSON.parse(pack.stdout) as Packed[])[0] as Packed;
  tarball = join(scratch, packed.filename);
  mkdirSync(elsewhere);
  const install = run(
    "npm",
    ["install", "-g", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", tarball],
    elsewhere,
  );
  expect(install.stderr).not.toMatch(/ERR!/);
  expect(install.status).toBe(0);
}, 120_000);

describe("the package `npm pack` makes", () => {
  it("is named for the version and holds the CLI alone: its bin, its bundle, the README and the licence", () => {
    expect(packed.filename).toBe(`ratelens-${version}.tgz`);
    const paths = packed.files.map((f) => f.path).sort();
    expect(paths).toEqual(expect.arrayContaining(["bin/ratelens.mjs", "dist/cli/ratelens.js"]));
    expect(
      paths.filter(
        (p) =>
          !["package.json", "README.md", "LICENSE"].includes(p) &&
          !p.startsWith("bin/") &&
          !p.startsWith("dist/cli/"),
      ),
    ).toEqual([]);
    expect(paths.filter((p) => p.endsWith(".png") || p.endsWith(".map"))).toEqual([]);
  });

  it("weighs well under a megabyte, packed and unpacked", () => {
    expect(statSync(tarball).size).toBe(packed.size);
    expect(packed.size).toBeLessThan(1024 * 1024);
    expect(packed.unpackedSize).toBeLessThan(2 * 1024 * 1024);
  });

  it("carries the MIT licence package.json names", () => {
    expect(readFileSync(join(root, "LICENSE"), "utf8")).toMatch(/^MIT License\n/);
    expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).license).toBe("MIT");
  });
});

describe("`npm install -g` of the tarball, offline, into an empty prefix", () => {
  const bin = join(prefix, "bin/ratelens");
  const installed = join(prefix, "lib/node_modules/ratelens");

  it("installs the one package, with no dependency to fetch", () => {
    expect(existsSync(join(installed, "dist/cli/ratelens.js"))).toBe(true);
    expect(existsSync(join(installed, "node_modules"))).toBe(false);
  });

  it("gives a `ratelens` that analyses a HAR from any folder and exits 1 on an error finding", () => {
    const fixture = join(root, "test/fixtures/retry-non-retryable.har");
    const { status, stdout, stderr } = run(bin, ["analyze", fixture], elsewhere);
    expect(stderr).toBe("");
    expect(stdout.split("\n")[0]).toBe(`ratelens ${version}: ${fixture}`);
    expect(stdout).toContain("retry-non-retryable (error)");
    expect(status).toBe(1);
  });

  it("exits 0 on a well-behaved client's session", () => {
    const fixture = join(root, "test/fixtures/well-behaved.har");
    const { status, stderr } = run(bin, ["analyze", fixture], elsewhere);
    expect(stderr).toBe("");
    expect(status).toBe(0);
  });

  it("answers --version and --help", () => {
    expect(run(bin, ["--version"], elsewhere)).toMatchObject({
      status: 0,
      stdout: `${version}\n`,
    });
    const help = run(bin, ["--help"], elsewhere);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: ratelens analyze /);
  });
});

describe("bin/ratelens.mjs in a clone where the CLI is not built", () => {
  it("says how to build it, and exits 2", () => {
    const clone = join(scratch, "clone");
    mkdirSync(join(clone, "bin"), { recursive: true });
    copyFileSync(join(root, "bin/ratelens.mjs"), join(clone, "bin/ratelens.mjs"));
    const { status, stdout, stderr } = run(
      process.execPath,
      [join(clone, "bin/ratelens.mjs"), "analyze", "x.har"],
      clone,
    );
    expect(stdout).toBe("");
    expect(stderr).toContain("the CLI is not built yet: run `npm ci`");
    expect(status).toBe(2);
  });
});
