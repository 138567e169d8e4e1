import { createPanel } from "../platform/devtools.js";

// The DevTools page only creates the panel; the panel does everything else. The paths are from the
// extension's root: Firefox resolves relative ones against this page's folder, Chrome against the
// root.
void createPanel("Ratelens", "/icons/icon-32.png", "/src/panel/index.html");
