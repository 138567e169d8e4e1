#!/usr/bin/env node
// The CLI is built by `npm ci` (the prepare script) into dist/cli.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli/ratelens.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("ratelens: the CLI is not built yet: run `npm run build:cli`\n");
  process.exit(2);
}
await import(cli.href);
