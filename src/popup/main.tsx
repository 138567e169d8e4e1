import { render } from "preact";
import { createClient } from "../messaging/rpc.js";
import { activeTab, openOptionsPage } from "../platform/extension-pages.js";
import { hostPermissions } from "../platform/permissions.js";
import { runtimeTransport } from "../platform/runtime-messaging.js";
import "../ui/base.css";
import { PopupApp } from "./app.js";
import "./popup.css";
import type { PopupPorts } from "./ports.js";

/** Wiring only: the platform's adapters and the background's RPC client into the popup's ports. */
function main(): void {
  const root = document.getElementById("app");
  if (root === null) throw new Error("the popup page has no #app element");
  const background = createClient(runtimeTransport());
  // The popup closes when the user switches tabs: its tab is asked for once.
  const tab = activeTab();

  const ports: PopupPorts = {
    getState: async () => background.call("getState", { tabId: (await tab).id }),
    openOptions: openOptionsPage,
    activeTabUrl: async () => (await tab).url,
    hasSite: (pattern) => hostPermissions.contains([pattern]),
    requestSite: (pattern) => hostPermissions.request([pattern]),
  };
  render(<PopupApp ports={ports} />, root);
}

main();
