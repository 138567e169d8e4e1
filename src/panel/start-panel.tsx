import { render } from "preact";
import { App } from "./app.js";
import { Capture } from "./capture.js";
import { chainsOf } from "./chains.js";
import type { PanelPorts, ThemeName } from "./ports.js";
import { reportToBackground } from "./report-to-background.js";
import { PanelStore } from "./store.js";

/**
 * The panel on `root`, with the browser behind `ports`: DevTools' network into the capture, the
 * capture into the store, the store into the view and into the reports to the background. When
 * `stopped` aborts (main.tsx: the panel page is being hidden for good), the capture stops
 * listening to DevTools and reading its log. Resolves once the capture has backfilled what
 * DevTools listed before the panel opened.
 */
export async function startPanel(
  root: HTMLElement,
  ports: PanelPorts,
  stopped: AbortSignal,
): Promise<void> {
  const store = new PanelStore(await ports.loadSettings());

  const draw = (theme: ThemeName) =>
    render(<App store={store} ports={ports} theme={theme} />, root);
  draw(ports.themeName());
  ports.onThemeChanged(draw);

  // What only the panel knows (codes from bodies, findings) goes to the popup and badge.
  reportToBackground(store, ports.reportPanel, (s) => chainsOf(s.session).chains);

  const capture = new Capture(ports.network, {
    isApiHost: (url) => store.session.isApiHost(url),
    add: (entry, origin) => store.add(entry, origin),
    navigated: () => store.navigated(),
  });
  ports.onSettingsChanged((settings) => {
    store.configure(settings);
    // A host added since may have requests in DevTools' log already.
    capture.hostsChanged();
  });
  if (stopped.aborted) return;
  stopped.addEventListener("abort", () => capture.stop(), { once: true });
  await capture.start();
}
