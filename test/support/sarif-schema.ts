import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { expect } from "vitest";

/** The OASIS schema of SARIF 2.1.0 (test/schemas/README.md says where it comes from). */
export const validateSarif = (() => {
  const schema = JSON.parse(
    readFileSync(
      fileURLToPath(new URL("../schemas/sarif-schema-2.1.0.json", import.meta.url)),
      "utf8",
    ),
  );
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
})();

/** The SARIF log in `text`, after checking it against the schema (the errors said on failure). */
export function validSarif(text: string): unknown {
  const log = JSON.parse(text);
  const ok = validateSarif(log);
  expect(validateSarif.errors ?? [], JSON.stringify(validateSarif.errors, null, 2)).toEqual([]);
  expect(ok).toBe(true);
  return log;
}
