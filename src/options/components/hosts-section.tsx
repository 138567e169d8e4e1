import { useState } from "preact/hooks";
import { DEFAULT_HOSTS } from "../../core/hosts.js";
import { PROVIDER_IDS, type ProviderId } from "../../core/types.js";
import { normaliseHost, type Settings } from "../../settings/settings.js";
import { errorMessage } from "../../ui/error-message.js";
import { mayRemovePermission } from "../host-permission.js";
import type { OptionsPorts } from "../ports.js";
import type { UpdateSettings } from "../use-settings.js";

export const PERMISSION_REFUSED =
  "Permission refused: Ratelens can analyse this host in the DevTools panel, but the toolbar badge and popup cannot watch it";

type HostMessage = { kind: "error" | "refused" | "granted"; text: string };

export interface HostsSectionProps {
  settings: Settings;
  update: UpdateSettings;
  ports: Pick<OptionsPorts, "requestHostPermission" | "removeHostPermission">;
}

const PROVIDER_NOTES: Record<ProviderId, string> = {
  casola: "Casola's error codes",
  cuadra: "Cuadra's error codes",
  problem: "RFC 9457 problem details",
  generic: "status and common fields only",
};

/** The documented API hosts, and the user's own, each asked for permission as it is added. */
export function HostsSection({ settings, update, ports }: HostsSectionProps) {
  const [text, setText] = useState("");
  const [provider, setProvider] = useState<ProviderId>("casola");
  const [message, setMessage] = useState<HostMessage | undefined>(undefined);

  const add = (event: Event) => {
    event.preventDefault();
    const host = normaliseHost(text);
    if (host === undefined) {
      setMessage({
        kind: "error",
        text: `"${text.trim()}" is not a host name (examples: staging.casola.ai, 127.0.0.1:8080)`,
      });
      return;
    }
    if (DEFAULT_HOSTS.some((h) => h.host === host)) {
      setMessage({ kind: "error", text: `${host} is a documented host: it is always analysed` });
      return;
    }
    // Asked first, before any await: browsers grant host permissions only within a user gesture.
    let asked: Promise<boolean>;
    try {
      asked = ports.requestHostPermission(host);
    } catch (error) {
      asked = Promise.reject(error);
    }
    const chosen = provider;
    setText("");
    setMessage(undefined);
    void asked
      .then(
        (granted): HostMessage =>
          granted
            ? {
                kind: "granted",
                text: `Added ${host}: the DevTools panel analyses it, and the toolbar badge and popup watch it.`,
              }
            : { kind: "refused", text: `${PERMISSION_REFUSED}. ${host} is added for the panel.` },
        (error: unknown): HostMessage => ({
          kind: "refused",
          text: `${PERMISSION_REFUSED} (${errorMessage(error)}). ${host} is added for the panel.`,
        }),
      )
      .then(async (outcome) => {
        // Saved either way: the panel reads the page's traffic without any host permission.
        const saved = await update((s) => ({
          ...s,
          hosts: [...s.hosts.filter((h) => h.host !== host), { host, provider: chosen }],
        }));
        if (saved) setMessage(outcome);
      });
  };

  const remove = (host: string) => {
    setMessage(undefined);
    let remaining = settings.hosts;
    void update((s) => {
      remaining = s.hosts.filter((h) => h.host !== host);
      return { ...s, hosts: remaining };
    }).then((saved) => {
      if (!saved || !mayRemovePermission(host, remaining)) return;
      ports.removeHostPermission(host).catch((error: unknown) =>
        setMessage({
          kind: "error",
          text: `${host} is removed, but its permission was not: ${errorMessage(error)}`,
        }),
      );
    });
  };

  return (
    <section class="section" aria-labelledby="hosts-heading">
      <h2 id="hosts-heading">Hosts</h2>
      <p class="hint">
        Requests to these hosts are analysed; all other traffic is ignored and never stored. Each
        host's errors are read as its provider's.
      </p>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Provider</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {DEFAULT_HOSTS.map((h) => (
            <tr key={h.host} data-testid="options-default-host" data-host={h.host}>
              <td class="mono">{h.host}</td>
              <td>{h.provider}</td>
              <td class="muted">documented</td>
            </tr>
          ))}
          {settings.hosts.map((h) => (
            <tr key={h.host} data-testid="options-host" data-host={h.host}>
              <td class="mono">{h.host}</td>
              <td>{h.provider}</td>
              <td>
                <button
                  type="button"
                  aria-label={`Remove ${h.host}`}
                  onClick={() => remove(h.host)}
                >
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="inline-form" onSubmit={(e) => e.preventDefault()}>
        <label>
          Host
          <input
            type="text"
            placeholder="staging.casola.ai or 127.0.0.1:8080"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <label>
          Provider
          <select
            value={provider}
            onChange={(e) => setProvider(e.currentTarget.value as ProviderId)}
          >
            {PROVIDER_IDS.map((id) => (
              <option key={id} value={id}>
                {id} ({PROVIDER_NOTES[id]})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" onClick={add}>
          Add host
        </button>
      </form>
      <p class="hint">
        Adding a host asks the browser for permission to see its requests from the background. With
        it, the toolbar badge and popup watch the host too. Without it, the host is still added: the
        DevTools panel analyses it, because the panel sees the traffic of the page it inspects.
      </p>
      {message === undefined ? null : (
        <p
          class={`message message-${message.kind}`}
          role={message.kind === "granted" ? "status" : "alert"}
          data-testid="options-host-message"
          data-kind={message.kind}
        >
          {message.text}
        </p>
      )}
    </section>
  );
}
