export {
  type AnalysisReport,
  Analyzer,
  type AnalyzerOptions,
  analyzeEntries,
  type EntryAnalysis,
  type EntrySummary,
} from "./analyzer.js";
export { type BudgetState, toHostBudget } from "./budget/budget-tracker.js";
export { CASOLA_CODES } from "./catalog/casola.js";
export { CUADRA_STATUSES } from "./catalog/cuadra.js";
export { parseHar } from "./har/parse-har.js";
export { isPreflight } from "./har/preflight.js";
export { DEFAULT_HOSTS, HostTable, isProviderId, parseHostMapping } from "./hosts.js";
export { RULES } from "./rules/index.js";
export {
  type BudgetSample,
  type EntryOrigin,
  Session,
  type SessionEntry,
} from "./session.js";
export * from "./types.js";
