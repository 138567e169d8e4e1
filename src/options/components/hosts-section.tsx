import { useState } from "preact/hooks";
import type { HostMapping } from "../../core/types.js";
import { type Settings, withHost, withoutHost } from "../../settings/settings.js";
import { errorMessage } from "../../ui/error-message.js";
import { HostForm } from "../../ui/host-form.js";
import { HostList } from "../../ui/setting-lists.js";
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

/** The documented API hosts, and the user's own, each asked for permission as it is added. */
export function HostsSection({ settings, update, ports }: HostsSectionProps) {
  const [message, setMessage] = useState<HostMessage | undefined>(undefined);

  const add = ({ host, provider }: HostMapping) => {
    // Asked first, before any await: browsers grant host permissions only within a user gesture.
    let asked: Promise<boolean>;
    try {
      asked = ports.requestHostPermission(host);
    } catch (error) {
      asked = Promise.reject(error);
    }
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
          hosts: withHost(s.hosts, { host, provider }),
        }));
        if (saved) setMessage(outcome);
      });
  };

  const remove = (host: string) => {
    setMessage(undefined);
    let remaining = settings.hosts;
    let presets = settings.presets;
    void update((s) => {
      remaining = withoutHost(s.hosts, host);
      presets = s.presets;
      return { ...s, hosts: remaining };
    }).then((saved) => {
      if (!saved || !mayRemovePermission(host, remaining, presets)) return;
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
      <HostList surface="options" hosts={settings.hosts} onRemove={remove} />
      <HostForm
        layout="labelled"
        onAdd={add}
        onInvalid={(text) => setMessage({ kind: "error", text })}
      />
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
