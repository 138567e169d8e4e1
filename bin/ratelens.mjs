#!/usr/bin/env node
// In a clone, `npm ci` (the prepare script) builds the CLI into dist/cli; the package's tarball
// ships it built.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli/ratelens.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    "ratelens: the CLI is not built yet: run `npm ci` in this clone (it builds dist/cli), or `npm run build:cli` after it\n",
  );
  process.exit(2);
}
await import(cli.href);
