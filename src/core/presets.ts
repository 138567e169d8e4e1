import type { HostMapping } from "./types.js";

/** The API providers the panel and the options page offer as one click each. */
export type PresetId =
  | "openai"
  | "anthropic"
  | "github"
  | "gemini"
  | "mistral"
  | "groq"
  | "azure-openai";

export interface Preset {
  id: PresetId;
  /** As the provider names itself. */
  name: string;
  /**
   * The hosts it answers on, each read as `generic`: none of these APIs documents an
   * application/problem+json error body. `*.` matches subdomains only (HostTable).
   */
  hosts: readonly HostMapping[];
}

/** In the order the views list them. */
export const PRESETS: readonly Preset[] = [
  { id: "openai", name: "OpenAI", hosts: [{ host: "api.openai.com", provider: "generic" }] },
  {
    id: "anthropic",
    name: "Anthropic",
    hosts: [{ host: "api.anthropic.com", provider: "generic" }],
  },
  { id: "github", name: "GitHub", hosts: [{ host: "api.github.com", provider: "generic" }] },
  {
    id: "gemini",
    name: "Google Gemini",
    hosts: [{ host: "generativelanguage.googleapis.com", provider: "generic" }],
  },
  { id: "mistral", name: "Mistral", hosts: [{ host: "api.mistral.ai", provider: "generic" }] },
  { id: "groq", name: "Groq", hosts: [{ host: "api.groq.com", provider: "generic" }] },
  {
    id: "azure-openai",
    name: "Azure OpenAI",
    hosts: [{ host: "*.openai.azure.com", provider: "generic" }],
  },
];

/** The hosts of the presets that are on, in PRESETS' order. */
export function presetHosts(ids: readonly PresetId[]): HostMapping[] {
  return PRESETS.filter((preset) => ids.includes(preset.id)).flatMap((preset) => preset.hosts);
}

/**
 * The host permissions a preset needs, as match patterns: these APIs speak HTTPS only, and a
 * `*.` host is the same wildcard in a match pattern (which also matches the bare domain, a host
 * HostTable leaves out: the permission is wider than the analysis, never narrower).
 */
export function presetOrigins(preset: Preset): string[] {
  return preset.hosts.map(({ host }) => `https://${host}/*`);
}
