// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_HOSTS } from "../core/hosts.js";
import { DEFAULT_SETTINGS, type Settings } from "../settings/settings.js";
import { OptionsApp } from "./app.js";
import type { OptionsPorts } from "./ports.js";

function fakePorts(initial: Partial<Settings> = {}, granted = true) {
  let stored: Settings = { ...DEFAULT_SETTINGS, ...initial };
  const pages = new Set<string>();
  return {
    load: vi.fn<OptionsPorts["load"]>(async () => stored),
    save: vi.fn<OptionsPorts["save"]>(async (settings) => {
      stored = settings;
    }),
    requestHostPermission: vi.fn<OptionsPorts["requestHostPermission"]>(async () => granted),
    removeHostPermission: vi.fn<OptionsPorts["removeHostPermission"]>(async () => undefined),
    requestOrigins: vi.fn<OptionsPorts["requestOrigins"]>(async () => granted),
    removeOrigins: vi.fn<OptionsPorts["removeOrigins"]>(async () => undefined),
    watchedPages: vi.fn<OptionsPorts["watchedPages"]>(async () => [...pages]),
    watchPages: vi.fn<OptionsPorts["watchPages"]>(async (hostname) => {
      if (granted) pages.add(`*://${hostname}/*`);
      return granted;
    }),
    unwatchPages: vi.fn<OptionsPorts["unwatchPages"]>(async (hostname) => {
      pages.delete(`*://${hostname}/*`);
    }),
    stored: () => stored,
  };
}

async function renderOptions(ports: ReturnType<typeof fakePorts>) {
  render(<OptionsApp ports={ports} />);
  await screen.findByRole("heading", { name: "Hosts" });
}

function addHost(host: string, provider = "casola") {
  fireEvent.input(screen.getByLabelText("Host"), { target: { value: host } });
  fireEvent.change(screen.getByLabelText("Provider"), { target: { value: provider } });
  fireEvent.click(screen.getByRole("button", { name: "Add host" }));
}

afterEach(cleanup);

describe("the options page", () => {
  it("lists the documented hosts with their providers, and the documented limits", async () => {
    await renderOptions(fakePorts());
    const rows = screen.getAllByTestId("options-default-host");
    expect(rows.map((r) => r.dataset.host)).toEqual(DEFAULT_HOSTS.map((h) => h.host));
    expect(within(rows[0] as HTMLElement).getByText("casola")).toBeTruthy();
    const limits = screen.getByTestId("options-documented-limits").textContent;
    expect(limits).toContain("60 requests/min per user, 300/min per organization");
    expect(limits).toMatch(/Casola\s*documents no number/);
  });

  it("asks for the host permission within the click, then saves the host", async () => {
    const ports = fakePorts();
    await renderOptions(ports);
    addHost("Staging.Casola.ai", "cuadra");
    // Before any await: the browser grants permissions only during the user's gesture.
    expect(ports.requestHostPermission).toHaveBeenCalledWith("staging.casola.ai");
    expect(ports.save).not.toHaveBeenCalled();
    await waitFor(() => expect(screen.getByTestId("options-saved").textContent).toBe("Saved"));
    expect(ports.stored().hosts).toEqual([{ host: "staging.casola.ai", provider: "cuadra" }]);
    expect(screen.getByTestId("options-host").dataset.host).toBe("staging.casola.ai");
    expect(screen.getByTestId("options-host-message").dataset.kind).toBe("granted");
  });

  it("still saves a host whose permission is refused, and says what that means", async () => {
    const ports = fakePorts({}, false);
    await renderOptions(ports);
    addHost("127.0.0.1:8080");
    const message = await screen.findByTestId("options-host-message");
    expect(message.textContent).toContain(
      "Permission refused: Ratelens can analyse this host in the DevTools panel, but the toolbar badge and popup cannot watch it",
    );
    expect(ports.stored().hosts).toEqual([{ host: "127.0.0.1:8080", provider: "casola" }]);
  });

  it("refuses what is not a host name, saying why, without asking or saving", async () => {
    const ports = fakePorts();
    await renderOptions(ports);
    addHost("https://staging.casola.ai/v1");
    expect(screen.getByTestId("options-host-message").textContent).toMatch(/is not a host name/);
    expect(ports.requestHostPermission).not.toHaveBeenCalled();
    expect(ports.save).not.toHaveBeenCalled();
  });

  it("removes a host and gives its permission back", async () => {
    const ports = fakePorts({ hosts: [{ host: "staging.casola.ai", provider: "casola" }] });
    await renderOptions(ports);
    fireEvent.click(screen.getByRole("button", { name: "Remove staging.casola.ai" }));
    await waitFor(() =>
      expect(ports.removeHostPermission).toHaveBeenCalledWith("staging.casola.ai"),
    );
    expect(ports.stored().hosts).toEqual([]);
    expect(screen.queryAllByTestId("options-host")).toHaveLength(0);
  });

  it("adds a limit override for a host and removes it", async () => {
    const ports = fakePorts();
    await renderOptions(ports);
    fireEvent.input(screen.getByLabelText("Host of the limit"), {
      target: { value: "api.cuadra.ai" },
    });
    fireEvent.input(screen.getByLabelText("Requests"), { target: { value: "300" } });
    fireEvent.input(screen.getByLabelText("Window (seconds)"), { target: { value: "60" } });
    fireEvent.click(screen.getByRole("button", { name: "Set limit" }));
    await waitFor(() =>
      expect(ports.stored().limits).toEqual([
        { host: "api.cuadra.ai", limit: 300, windowSeconds: 60 },
      ]),
    );
    expect(screen.getByTestId("options-limit").textContent).toContain("300 requests per 60 s");

    fireEvent.click(screen.getByRole("button", { name: "Remove the limit of api.cuadra.ai" }));
    await waitFor(() => expect(ports.stored().limits).toEqual([]));
    expect(screen.queryAllByTestId("options-limit")).toHaveLength(0);
  });

  it("refuses a limit that is not a whole number of requests", async () => {
    const ports = fakePorts();
    await renderOptions(ports);
    fireEvent.input(screen.getByLabelText("Host of the limit"), { target: { value: "x.dev" } });
    fireEvent.input(screen.getByLabelText("Requests"), { target: { value: "2.5" } });
    fireEvent.click(screen.getByRole("button", { name: "Set limit" }));
    expect(screen.getByTestId("options-limit-error").textContent).toMatch(/whole number/);
    expect(ports.save).not.toHaveBeenCalled();
  });

  it("saves preserve log and the retention, and refuses a retention out of range", async () => {
    const ports = fakePorts();
    await renderOptions(ports);
    fireEvent.click(screen.getByLabelText("Preserve log by default"));
    await waitFor(() => expect(ports.stored().preserveLog).toBe(true));

    const retention = screen.getByLabelText("Keep traffic for (minutes)");
    fireEvent.change(retention, { target: { value: "1441" } });
    expect(screen.getByTestId("options-retention-error").textContent).toMatch(/1 to 1440 minutes/);
    expect(ports.save).toHaveBeenCalledTimes(1);

    fireEvent.change(retention, { target: { value: "60" } });
    await waitFor(() => expect(ports.stored().retentionMinutes).toBe(60));
    expect(screen.queryByTestId("options-retention-error")).toBeNull();
    expect(screen.getByTestId("options-saved").textContent).toBe("Saved");
    expect(ports.stored().preserveLog).toBe(true);
  });

  it("saves how many requests keep their bodies in the panel, and refuses one out of range", async () => {
    const ports = fakePorts();
    await renderOptions(ports);
    const bodies = screen.getByLabelText("Panel: keep bodies of the newest (requests)");
    expect((bodies as HTMLInputElement).value).toBe("20000");
    fireEvent.change(bodies, { target: { value: "50" } });
    expect(screen.getByTestId("options-bodies-error").textContent).toMatch(/100 to 1000000/);
    expect(ports.save).not.toHaveBeenCalled();
    fireEvent.change(bodies, { target: { value: "5000" } });
    await waitFor(() => expect(ports.stored().bodiesKept).toBe(5000));
    expect(screen.queryByTestId("options-bodies-error")).toBeNull();
  });

  it("says in one line when a save fails, and shows what is stored", async () => {
    const ports = fakePorts();
    ports.save.mockRejectedValueOnce(new Error("QUOTA_BYTES quota exceeded"));
    await renderOptions(ports);
    const checkbox = screen.getByLabelText<HTMLInputElement>("Preserve log by default");
    fireEvent.click(checkbox);
    await waitFor(() =>
      expect(screen.getByTestId("options-error").textContent).toBe(
        "Not saved: QUOTA_BYTES quota exceeded",
      ),
    );
    expect(checkbox.checked).toBe(false);
  });

  it("says so when the settings cannot be loaded", async () => {
    const ports = fakePorts();
    ports.load.mockRejectedValueOnce(new Error("storage unavailable"));
    render(<OptionsApp ports={ports} />);
    expect((await screen.findByTestId("options-error")).textContent).toBe(
      "Could not load the settings: storage unavailable",
    );
  });

  it("watches the pages of a site the user adds, asking within the click, and stops on Remove", async () => {
    const ports = fakePorts();
    await renderOptions(ports);
    await screen.findByTestId("options-no-pages");
    fireEvent.input(screen.getByLabelText("Site"), {
      target: { value: "http://localhost:3000/app" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Watch pages" }));
    expect(ports.watchPages).toHaveBeenCalledWith("localhost");
    await waitFor(() => expect(screen.getByTestId("options-page").dataset.host).toBe("localhost"));
    fireEvent.click(screen.getByRole("button", { name: "Stop watching pages on localhost" }));
    await screen.findByTestId("options-no-pages");
    expect(ports.unwatchPages).toHaveBeenCalledWith("localhost");
  });

  it("says when the browser refuses to let it watch a site's pages", async () => {
    const ports = fakePorts({}, false);
    await renderOptions(ports);
    fireEvent.input(screen.getByLabelText("Site"), { target: { value: "localhost:3000" } });
    fireEvent.click(screen.getByRole("button", { name: "Watch pages" }));
    expect((await screen.findByTestId("options-pages-message")).textContent).toMatch(/refused/);
  });
});

describe("the options page's providers", () => {
  const toggle = (name: string) => screen.getByRole("switch", { name }) as HTMLInputElement;
  const row = (id: string) =>
    screen.getAllByTestId("preset").find((r) => r.dataset.preset === id) as HTMLElement;

  it("offers each provider as one switch, all off by default", async () => {
    await renderOptions(fakePorts());
    expect(screen.getAllByTestId("preset").map((r) => r.dataset.preset)).toEqual([
      "openai",
      "anthropic",
      "github",
      "gemini",
      "mistral",
      "groq",
      "azure-openai",
    ]);
    expect(screen.getAllByRole("switch").every((s) => !(s as HTMLInputElement).checked)).toBe(true);
    expect(row("azure-openai").textContent).toContain("*.openai.azure.com");
  });

  it("asks the browser for the provider's hosts within the click, and stores it on once allowed", async () => {
    const ports = fakePorts();
    await renderOptions(ports);
    fireEvent.click(toggle("Azure OpenAI"));
    // Before any await: the browser grants permissions only during the user's gesture.
    expect(ports.requestOrigins).toHaveBeenCalledWith(["https://*.openai.azure.com/*"]);
    expect(ports.save).not.toHaveBeenCalled();
    const message = await screen.findByTestId("preset-message");
    expect(ports.stored().presets).toEqual(["azure-openai"]);
    expect(toggle("Azure OpenAI").checked).toBe(true);
    expect(row("azure-openai").dataset.on).toBe("true");
    expect(message.dataset.kind).toBe("granted");
    expect(message.textContent).toContain("Azure OpenAI is on");
  });

  it("leaves a provider off when the browser refuses, and says so", async () => {
    const ports = fakePorts({}, false);
    await renderOptions(ports);
    fireEvent.click(toggle("OpenAI"));
    expect(ports.requestOrigins).toHaveBeenCalledWith(["https://api.openai.com/*"]);
    const message = await screen.findByTestId("preset-message");
    expect(message.dataset.kind).toBe("refused");
    expect(message.textContent).toBe(
      "Permission refused: OpenAI stays off. Ratelens turns a provider on only with the browser's permission for api.openai.com.",
    );
    expect(ports.save).not.toHaveBeenCalled();
    expect(toggle("OpenAI").checked).toBe(false);
    expect(row("openai").dataset.on).toBe("false");
  });

  it("leaves a provider off when the browser cannot ask, naming why", async () => {
    const ports = fakePorts();
    ports.requestOrigins.mockImplementationOnce(() => {
      throw new Error("permissions.request may only be called from a user input handler");
    });
    await renderOptions(ports);
    fireEvent.click(toggle("Groq"));
    const message = await screen.findByTestId("preset-message");
    expect(message.dataset.kind).toBe("error");
    expect(message.textContent).toBe(
      "Groq stays off: permissions.request may only be called from a user input handler",
    );
    expect(ports.save).not.toHaveBeenCalled();
    expect(toggle("Groq").checked).toBe(false);
  });

  it("turns a provider off and gives its hosts back", async () => {
    const ports = fakePorts({ presets: ["openai", "github"] });
    await renderOptions(ports);
    expect(toggle("OpenAI").checked).toBe(true);
    fireEvent.click(toggle("OpenAI"));
    await waitFor(() =>
      expect(ports.removeOrigins).toHaveBeenCalledWith(["https://api.openai.com/*"]),
    );
    expect(ports.stored().presets).toEqual(["github"]);
    expect(toggle("OpenAI").checked).toBe(false);
    expect(ports.requestOrigins).not.toHaveBeenCalled();
  });

  it("keeps the permission of a provider turned off while one of the user's hosts lies on it", async () => {
    const ports = fakePorts({
      presets: ["azure-openai", "github"],
      hosts: [{ host: "mine.openai.azure.com", provider: "generic" }],
    });
    await renderOptions(ports);
    fireEvent.click(toggle("Azure OpenAI"));
    await waitFor(() => expect(ports.stored().presets).toEqual(["github"]));
    fireEvent.click(toggle("GitHub"));
    await waitFor(() => expect(ports.stored().presets).toEqual([]));
    expect(ports.removeOrigins.mock.calls).toEqual([[["https://api.github.com/*"]]]);
  });
});
