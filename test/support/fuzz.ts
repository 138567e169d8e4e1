/**
 * Cases per fast-check property: `npm test` runs a few hundred, `npm run fuzz` sets
 * RATELENS_FUZZ_RUNS (10,000 there) and the same properties run that many times.
 */
export const FUZZ_RUNS = Math.max(1, Number(process.env.RATELENS_FUZZ_RUNS) || 200);

/** A test's time limit: generous when fuzzing, vitest's usual otherwise. */
export const FUZZ_TIMEOUT = FUZZ_RUNS > 1000 ? 30 * 60_000 : 60_000;
