export { escapeMarkdown, type MarkdownOptions, toMarkdown } from "./markdown.js";
export { type RedactHarOptions, redactHar, redactUrl } from "./redact-har.js";
export { toJsonReport } from "./report-json.js";
export { isSecretHeader, isSecretName, REDACTED } from "./secret-names.js";
