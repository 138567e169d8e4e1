import { createPanel } from "../platform/devtools.js";

// The DevTools page creates the panel and, where the build says so (Firefox), starts the
// recording of DevTools' network that the panel reads (src/platform/devtools.ts); the panel does
// everything else. The paths are from the extension's root: Firefox resolves relative ones against
// this page's folder, Chrome against the root.
void createPanel("Ratelens", "/icons/icon-32.png", "/src/panel/index.html");
