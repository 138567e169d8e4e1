import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { plural } from "../core/labels.js";
import type { BackgroundState, HostView } from "../messaging/protocol.js";
import { errorMessage } from "../ui/error-message.js";
import { useInterval } from "../ui/use-interval.js";
import { EmptyState } from "./components/empty-state.js";
import { HostCard } from "./components/host-card.js";
import { HostCosts } from "./components/host-cost.js";
import { SiteOffer } from "./components/site-offer.js";
import type { PopupPorts } from "./ports.js";
import { type PageSite, siteOf } from "./site.js";

export interface PopupAppProps {
  ports: PopupPorts;
  /** The clock countdowns run against; Date.now unless a test injects one. */
  now?: () => number;
}

/** How often the popup asks the background again and moves its countdowns. */
const REFRESH_MS = 1000;

/** The active tab's host first; the rest as the background sends them, most recent first. */
function ordered(state: BackgroundState): HostView[] {
  const active = state.hosts.filter((h) => h.budget.host === state.activeHost);
  return [...active, ...state.hosts.filter((h) => h.budget.host !== state.activeHost)];
}

function Findings({ count }: { count: number }) {
  return (
    <p class={`findings${count > 0 ? " findings-some" : ""}`} data-testid="popup-findings">
      {count === 0
        ? "No findings in open Ratelens panels"
        : `${plural(count, "finding")} in open Ratelens panels: see DevTools → Ratelens`}
    </p>
  );
}

/** The toolbar popup: every API host's budget and errors, live while it is open. */
export function PopupApp({ ports, now = Date.now }: PopupAppProps) {
  const [state, setState] = useState<BackgroundState | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [, setTicks] = useState(0);
  const inFlight = useRef(false);
  const mounted = useRef(true);
  const [site, setSite] = useState<PageSite | undefined>(undefined);
  const [granted, setGranted] = useState<boolean | undefined>(undefined);
  const [refused, setRefused] = useState(false);

  const refresh = useCallback(() => {
    // A slow background is not asked again before it answers.
    if (inFlight.current) return;
    inFlight.current = true;
    ports.getState().then(
      (next) => {
        inFlight.current = false;
        if (!mounted.current) return;
        setState(next);
        setFailure(undefined);
      },
      (error: unknown) => {
        inFlight.current = false;
        if (mounted.current) setFailure(errorMessage(error));
      },
    );
  }, [ports]);

  useEffect(() => {
    mounted.current = true;
    refresh();
    return () => {
      mounted.current = false;
    };
  }, [refresh]);

  // The tab's site, and whether Ratelens may already read it: asked once, the popup is per tab.
  useEffect(() => {
    let live = true;
    ports
      .activeTabUrl()
      .catch(() => null)
      .then(async (url) => {
        const found = siteOf(url);
        if (live) setSite(found);
        if (found.kind !== "site") return;
        const holds = await ports.hasSite(found.pattern).catch(() => false);
        if (live) setGranted(holds);
      });
    return () => {
      live = false;
    };
  }, [ports]);

  const allow = (pattern: string) => {
    // Straight from the click: the browser asks the user only within the gesture.
    ports.requestSite(pattern).then(
      (yes) => {
        if (!mounted.current) return;
        setGranted(yes);
        setRefused(!yes);
      },
      (error: unknown) => {
        console.error("Ratelens permission request:", error);
        if (mounted.current) setRefused(true);
      },
    );
  };

  useInterval(() => {
    setTicks((n) => n + 1);
    refresh();
  }, REFRESH_MS);

  const clock = now();
  const hosts = state === undefined ? [] : ordered(state);

  return (
    <main class="ratelens-page popup">
      <header class="popup-head">
        <h1>Ratelens</h1>
        <button type="button" class="link-button" onClick={() => ports.openOptions()}>
          Options
        </button>
      </header>
      {failure === undefined ? null : (
        <p class="failure" role="alert" data-testid="popup-failure" title={failure}>
          Could not read Ratelens's state from its background: {failure}
        </p>
      )}
      {state !== undefined && state.activeHost === null && site !== undefined ? (
        <SiteOffer site={site} granted={granted} refused={refused} onAllow={allow} />
      ) : null}
      {state === undefined ? (
        failure === undefined ? (
          <p class="muted loading">Loading…</p>
        ) : null
      ) : hosts.length === 0 ? (
        <EmptyState onOpenOptions={() => ports.openOptions()} />
      ) : (
        <>
          <Findings count={state.findings} />
          <HostCosts cost={state.cost} />
          {state.storageDropped === undefined ? null : (
            <p class="note storage-full" role="status" data-testid="storage-dropped">
              Storage was full: the oldest {plural(state.storageDropped, "request")} kept for
              matching were dropped. Budgets and error counts are kept.
            </p>
          )}
          <div class="host-cards">
            {hosts.map((view) => (
              <HostCard
                key={view.budget.host}
                view={view}
                active={view.budget.host === state.activeHost}
                now={clock}
              />
            ))}
          </div>
        </>
      )}
    </main>
  );
}
