import { createPanel } from "../platform/devtools.js";

// The DevTools page only creates the panel; the panel does everything else.
void createPanel("Ratelens", "icons/icon-32.png", "src/panel/index.html");
