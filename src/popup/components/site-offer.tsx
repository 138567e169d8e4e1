import type { PageSite } from "../site.js";

export interface SiteOfferProps {
  site: PageSite;
  /** Whether the extension holds the site's host permission; undefined while it is asked. */
  granted: boolean | undefined;
  /** The user's answer to the last request, when they refused it. */
  refused: boolean;
  onAllow(pattern: string): void;
}

/**
 * Why the popup shows nothing for this tab, and the one button that fixes it where it can: the
 * browser shows an extension a page's requests only when it may read the page's site as well as
 * the API host.
 */
export function SiteOffer({ site, granted, refused, onAllow }: SiteOfferProps) {
  if (site.kind === "unknown") {
    return (
      <div class="site-offer" data-testid="popup-site-unknown">
        <p>
          No API call from this tab has reached Ratelens, and it cannot tell which page the tab
          shows. Open this popup with the toolbar button while your app's tab is active.
        </p>
      </div>
    );
  }
  if (site.kind === "closed") {
    return (
      <div class="site-offer" data-testid="popup-site-closed">
        <p>
          Ratelens cannot watch this page: browsers keep their own pages, files and extension pages
          from every extension. Open your app in a tab to see its API budget here.
        </p>
      </div>
    );
  }
  if (granted === undefined) return null;
  if (granted) {
    return (
      <div class="site-offer" data-testid="popup-site-granted" data-site={site.host}>
        <p>
          No API call from this tab yet. Ratelens watches <strong>{site.host}</strong>: the badge
          follows this page's calls to the API hosts.
        </p>
      </div>
    );
  }
  return (
    <div class="site-offer" data-testid="popup-site-offer" data-site={site.host}>
      <p>
        No API call from this tab has reached Ratelens. The browser shows Ratelens a page's requests
        only when it may also read the page's site, <strong>{site.host}</strong>.
      </p>
      <button type="button" onClick={() => onAllow(site.pattern)}>
        Watch {site.host}
      </button>
      <p class="muted">
        {site.port === "" ? site.host : `${site.host} on every port`}; the browser asks you first.
        Options lists every site you allowed. With DevTools open, the Ratelens panel feeds the badge
        without it.
      </p>
      {refused ? (
        <p class="muted" role="status" data-testid="popup-site-refused">
          Not allowed: the badge stays empty for this page while DevTools is closed.
        </p>
      ) : null}
    </div>
  );
}
