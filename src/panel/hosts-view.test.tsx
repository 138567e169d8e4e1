// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import { entry } from "../../test/support/har.js";
import { renderPanel, rows } from "../../test/support/panel-test-kit.js";
import { DEFAULT_SETTINGS } from "../settings/settings.js";

const STAGING = "https://staging.example.dev/v1/jobs";
const casola429 = () =>
  entry({
    url: STAGING,
    status: 429,
    body: JSON.stringify({
      error: { code: "quota_exceeded", message: "Plan usage limit reached" },
    }),
  });

afterEach(cleanup);

describe("the Hosts view", () => {
  it("adds a host read as a provider, and its traffic is then analysed", async () => {
    const { store, ports } = renderPanel();
    expect(store.add(casola429(), "live")).toBe(false);

    fireEvent.click(screen.getByTestId("tab-hosts"));
    fireEvent.input(screen.getByLabelText("Host to analyse"), {
      target: { value: "Staging.Example.dev" },
    });
    fireEvent.change(screen.getByLabelText("Read its errors as"), { target: { value: "casola" } });
    fireEvent.click(screen.getByRole("button", { name: "Add host" }));

    expect(ports.saveSettings).toHaveBeenCalledWith({
      ...DEFAULT_SETTINGS,
      hosts: [{ host: "staging.example.dev", provider: "casola" }],
    });
    await waitFor(() => expect(screen.getAllByTestId("user-host")).toHaveLength(1));

    expect(store.add(casola429(), "live")).toBe(true);
    fireEvent.click(screen.getByTestId("tab-requests"));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]?.dataset.code).toBe("quota_exceeded");
  });

  it("refuses what is not a host name, saying why", () => {
    const { ports } = renderPanel();
    fireEvent.click(screen.getByTestId("tab-hosts"));
    fireEvent.input(screen.getByLabelText("Host to analyse"), {
      target: { value: "https://x.dev/path" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Add host" }));
    expect(screen.getByTestId("hosts-error").textContent).toMatch(/not a host name/);
    expect(ports.saveSettings).not.toHaveBeenCalled();
  });

  it("sets a rate limit for a host and removes it", async () => {
    const { ports } = renderPanel();
    fireEvent.click(screen.getByTestId("tab-hosts"));
    fireEvent.input(screen.getByLabelText("Host of the limit"), {
      target: { value: "127.0.0.1:8080" },
    });
    fireEvent.input(screen.getByLabelText("Requests per window"), { target: { value: "30" } });
    fireEvent.click(screen.getByRole("button", { name: "Set limit" }));
    expect(ports.saveSettings).toHaveBeenLastCalledWith({
      ...DEFAULT_SETTINGS,
      limits: [{ host: "127.0.0.1:8080", limit: 30, windowSeconds: 60 }],
    });
    await waitFor(() => expect(screen.getAllByTestId("user-limit")).toHaveLength(1));
    fireEvent.click(screen.getByRole("button", { name: "Remove the limit of 127.0.0.1:8080" }));
    await waitFor(() => expect(screen.queryAllByTestId("user-limit")).toHaveLength(0));
  });

  it("refuses a window that is not a whole number of seconds, as the options page does", () => {
    const { ports } = renderPanel();
    fireEvent.click(screen.getByTestId("tab-hosts"));
    fireEvent.input(screen.getByLabelText("Host of the limit"), { target: { value: "x.dev" } });
    fireEvent.input(screen.getByLabelText("Requests per window"), { target: { value: "30" } });
    fireEvent.input(screen.getByLabelText("Window in seconds"), { target: { value: "1.5" } });
    fireEvent.click(screen.getByRole("button", { name: "Set limit" }));
    expect(screen.getByTestId("hosts-error").textContent).toBe(
      "The window must be a whole number of seconds above 0",
    );
    expect(ports.saveSettings).not.toHaveBeenCalled();
  });
});

describe("the Hosts view's providers", () => {
  const OPENAI = "https://api.openai.com/v1/chat/completions";
  const openai429 = () =>
    entry({
      url: OPENAI,
      status: 429,
      body: JSON.stringify({ error: { message: "Rate limit reached", type: "requests" } }),
      headers: { "x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "0" },
    });
  const toggle = (name: string) => screen.getByRole("switch", { name }) as HTMLInputElement;

  it("asks for the provider's hosts from the click, then analyses its traffic at once", async () => {
    const { store, ports } = renderPanel();
    expect(store.add(openai429(), "live")).toBe(false);
    fireEvent.click(screen.getByTestId("tab-hosts"));
    fireEvent.click(toggle("OpenAI"));
    expect(ports.requestOrigins).toHaveBeenCalledWith(["https://api.openai.com/*"]);
    expect(ports.saveSettings).not.toHaveBeenCalled();
    await waitFor(() =>
      expect(ports.saveSettings).toHaveBeenCalledWith({ ...DEFAULT_SETTINGS, presets: ["openai"] }),
    );
    await waitFor(() => expect(toggle("OpenAI").checked).toBe(true));
    expect(screen.getByTestId("preset-message").dataset.kind).toBe("granted");
    // No reload: the next request to the host is the panel's.
    expect(store.add(openai429(), "live")).toBe(true);
    fireEvent.click(screen.getByTestId("tab-requests"));
    await waitFor(() => expect(rows()).toHaveLength(1));
  });

  it("leaves the provider off when the browser refuses, and its traffic unread", async () => {
    const { store, ports } = renderPanel();
    ports.requestOrigins.mockResolvedValueOnce(false);
    fireEvent.click(screen.getByTestId("tab-hosts"));
    fireEvent.click(toggle("Anthropic"));
    const message = await screen.findByTestId("preset-message");
    expect(message.dataset.kind).toBe("refused");
    expect(message.textContent).toMatch(/^Permission refused: Anthropic stays off/);
    expect(ports.saveSettings).not.toHaveBeenCalled();
    expect(toggle("Anthropic").checked).toBe(false);
    expect(store.settings.presets).toEqual([]);
  });

  it("says where to turn it on when the browser lets no panel ask", async () => {
    const { ports } = renderPanel();
    ports.requestOrigins.mockRejectedValueOnce(
      new Error(
        "Firefox lets only the options page ask for host permissions: turn it on or off there",
      ),
    );
    fireEvent.click(screen.getByTestId("tab-hosts"));
    fireEvent.click(toggle("Mistral"));
    expect((await screen.findByTestId("preset-message")).textContent).toBe(
      "Mistral stays off: Firefox lets only the options page ask for host permissions: turn it on or off there",
    );
    expect(ports.saveSettings).not.toHaveBeenCalled();
  });

  it("turns a provider off, stops analysing its hosts and gives them back", async () => {
    const { store, ports } = renderPanel();
    store.configure({ ...DEFAULT_SETTINGS, presets: ["gemini"] });
    fireEvent.click(screen.getByTestId("tab-hosts"));
    await waitFor(() => expect(toggle("Google Gemini").checked).toBe(true));
    fireEvent.click(toggle("Google Gemini"));
    expect(ports.saveSettings).toHaveBeenCalledWith({ ...DEFAULT_SETTINGS, presets: [] });
    await waitFor(() =>
      expect(ports.removeOrigins).toHaveBeenCalledWith([
        "https://generativelanguage.googleapis.com/*",
      ]),
    );
    await waitFor(() => expect(toggle("Google Gemini").checked).toBe(false));
    expect(
      store.add(entry({ url: "https://generativelanguage.googleapis.com/v1beta/models" }), "live"),
    ).toBe(false);
  });
});
