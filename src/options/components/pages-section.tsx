import { useEffect, useState } from "preact/hooks";
import { normaliseHost } from "../../settings/settings.js";
import { hostnameOf } from "../host-permission.js";
import type { OptionsPorts } from "../ports.js";

/** `*://localhost/*` -> `localhost`. */
function hostnameOfPattern(pattern: string): string {
  return pattern.replace(/^[*a-z]+:\/\//, "").replace(/\/\*$/, "");
}

/**
 * The pages whose API calls the badge and popup see. Chromium shows the background a request only
 * when the extension may access the page that sent it as well as the API host, so a user's app
 * (http://localhost:3000, a staging site) must be allowed here. The DevTools panel needs none of
 * this: it sees the traffic of the page it inspects.
 */
export function PagesSection({ ports }: { ports: OptionsPorts }) {
  const [pages, setPages] = useState<string[] | undefined>(undefined);
  const [input, setInput] = useState("");
  const [message, setMessage] = useState<{ kind: "refused" | "error"; text: string } | undefined>(
    undefined,
  );

  const reload = () =>
    ports.watchedPages().then(
      (origins) => setPages(origins.map(hostnameOfPattern)),
      (error: unknown) => setMessage({ kind: "error", text: String(error) }),
    );
  useEffect(() => void reload(), []);

  const add = () => {
    const host = normaliseHost(input.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, ""));
    if (host === undefined) {
      setMessage({ kind: "error", text: `"${input}" is not a site (example: localhost:3000)` });
      return;
    }
    const hostname = hostnameOf(host);
    // First thing in the click: the browser asks the user only during the gesture.
    const asked = ports.watchPages(hostname);
    void asked.then(
      (granted) => {
        setInput("");
        setMessage(
          granted
            ? undefined
            : { kind: "refused", text: `Permission refused: pages on ${hostname} are not watched` },
        );
        return reload();
      },
      (error: unknown) => setMessage({ kind: "error", text: String(error) }),
    );
  };

  return (
    <section class="section" aria-labelledby="pages-heading">
      <h2 id="pages-heading">Pages to watch</h2>
      <p class="muted">
        With DevTools closed, the toolbar badge and popup see an API call only when Ratelens may
        also access the page that made it: add your app's site (for example localhost:3000 or
        staging.example.com). The browser asks you first. Ports do not matter.
      </p>
      {pages === undefined ? null : pages.length === 0 ? (
        <p class="muted" data-testid="options-no-pages">
          No pages yet: only API calls made from the API hosts' own pages are watched.
        </p>
      ) : (
        <ul class="plain-list">
          {pages.map((hostname) => (
            <li key={hostname} data-testid="options-page" data-host={hostname}>
              <code>{hostname}</code>{" "}
              <button
                type="button"
                aria-label={`Stop watching pages on ${hostname}`}
                onClick={() => {
                  void ports.unwatchPages(hostname).then(reload);
                }}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          add();
        }}
      >
        <label>
          Site{" "}
          <input
            type="text"
            placeholder="localhost:3000"
            value={input}
            onInput={(e) => setInput((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">Watch pages</button>
      </form>
      {message === undefined ? null : (
        <p
          class={message.kind === "error" ? "failure" : "muted"}
          role="status"
          data-testid="options-pages-message"
        >
          {message.text}
        </p>
      )}
    </section>
  );
}
