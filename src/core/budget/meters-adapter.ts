// Temporary: parseMeters over today's parser until h-headers lands (deleted at merge).
import type { HeaderMap } from "../headers/header-map.js";
import { parseRateLimitHeaders, rateLimitResourceOf } from "../headers/parse-rate-limit-headers.js";

export interface MeterReading {
  name: string;
  family: string;
  unit: "requests" | "tokens";
  scoped?: true;
  limit?: number;
  remaining?: number;
  resetDeltaSeconds?: number;
  resetAtServer?: number;
  windowSeconds?: number;
}

export function parseMeters(headers: HeaderMap): MeterReading[] {
  const stated = parseRateLimitHeaders(headers);
  if (stated === undefined) return [];
  const resource = rateLimitResourceOf(headers);
  const { scheme, policy, ...rest } = stated;
  return [
    resource === undefined
      ? { name: "requests", family: scheme, unit: "requests", ...rest }
      : { name: resource, family: "github", unit: "requests", scoped: true, ...rest },
  ];
}
