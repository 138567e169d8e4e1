import { LIBRARIES, type LibraryId } from "./libraries.js";

/**
 * How dev servers and bundlers name a package's script in a call stack, for a package name
 * pattern `name` (npm's spelling, a regular expression source without `/` other than the scope's):
 * - its path: `/node_modules/ky/distribution/index.js`, webpack's
 *   `webpack-internal:///./node_modules/axios-retry/...`, pnpm's `.pnpm/ky@1.7.2/node_modules/ky/`;
 * - Vite's pre-bundled dependency: `/node_modules/.vite/deps/ky.js?v=1a2b`, `@tanstack_react-query.js`
 *   (Nuxt's under `.cache/vite/client/deps/`);
 * - a webpack chunk named for its path: `node_modules_ofetch_dist_index_mjs.js`.
 */
function scriptPattern(name: string): RegExp {
  const vite = name.replaceAll("/", "_");
  const chunk = name.replace(/^@/, "").replaceAll("/", "_");
  return new RegExp(
    [
      `/node_modules/(?:${name})/`,
      `/(?:\\.vite|vite/client)/deps(?:_temp_\\w+)?/(?:${vite})\\.js(?:[?#]|$)`,
      `(?:^|[/_-])node_modules_(?:${chunk})_`,
    ].join("|"),
  );
}

const PATTERNS: readonly [LibraryId, RegExp][] = LIBRARIES.map((library) => [
  library.id,
  scriptPattern(library.packages),
]);

/** The recognised library whose script `url` is, if any. */
export function libraryOfScript(url: string): LibraryId | undefined {
  for (const [id, pattern] of PATTERNS) if (pattern.test(url)) return id;
  return undefined;
}

/** Dependencies in any of the forms above, recognised or not, and Vite's shared chunks. */
const DEPENDENCY =
  /\/node_modules\/|\/(?:\.vite|vite\/client)\/deps(?:_temp_\w+)?\/|(?:^|[/_-])node_modules_/;

/** Whether `url` is a library's script rather than the application's own code. */
export function isLibraryScript(url: string): boolean {
  return DEPENDENCY.test(url) || libraryOfScript(url) !== undefined;
}
