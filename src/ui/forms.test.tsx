// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { HostForm } from "./host-form.js";
import { LimitForm } from "./limit-form.js";

afterEach(cleanup);

describe("HostForm", () => {
  it("adds a checked host as the provider chosen, labelled on screen or for readers only", () => {
    for (const [layout, hostLabel, providerLabel] of [
      ["row", "Host to analyse", "Read its errors as"],
      ["labelled", "Host", "Provider"],
    ] as const) {
      const onAdd = vi.fn();
      const onInvalid = vi.fn();
      const { unmount } = render(<HostForm layout={layout} onAdd={onAdd} onInvalid={onInvalid} />);
      fireEvent.input(screen.getByLabelText(hostLabel), { target: { value: " Mock.Test:8080 " } });
      fireEvent.change(screen.getByLabelText(providerLabel), { target: { value: "problem" } });
      fireEvent.click(screen.getByRole("button", { name: "Add host" }));
      expect(onAdd, layout).toHaveBeenCalledWith({ host: "mock.test:8080", provider: "problem" });
      expect(onInvalid).not.toHaveBeenCalled();
      expect(screen.getByLabelText<HTMLInputElement>(hostLabel).value).toBe("");
      unmount();
    }
  });

  it("says why a documented host or a URL is not added, in both layouts alike", () => {
    for (const layout of ["row", "labelled"] as const) {
      const onAdd = vi.fn();
      const onInvalid = vi.fn();
      const { unmount } = render(<HostForm layout={layout} onAdd={onAdd} onInvalid={onInvalid} />);
      const input = screen.getByPlaceholderText("staging.casola.ai or 127.0.0.1:8080");
      fireEvent.input(input, { target: { value: "api.cuadra.ai" } });
      fireEvent.click(screen.getByRole("button", { name: "Add host" }));
      fireEvent.input(input, { target: { value: "https://x.dev/" } });
      fireEvent.click(screen.getByRole("button", { name: "Add host" }));
      expect(onAdd).not.toHaveBeenCalled();
      expect(onInvalid.mock.calls.map(([error]) => error)).toEqual([
        "api.cuadra.ai is a documented host: it is always analysed",
        '"https://x.dev/" is not a host name (examples: staging.casola.ai, 127.0.0.1:8080)',
      ]);
      unmount();
    }
  });
});

describe("LimitForm", () => {
  it("refuses a fractional window in both layouts, and sets a whole one", () => {
    for (const [layout, requestsLabel, windowLabel] of [
      ["row", "Requests per window", "Window in seconds"],
      ["labelled", "Requests", "Window (seconds)"],
    ] as const) {
      const onSet = vi.fn();
      const onInvalid = vi.fn();
      const { unmount } = render(<LimitForm layout={layout} onSet={onSet} onInvalid={onInvalid} />);
      fireEvent.input(screen.getByLabelText("Host of the limit"), { target: { value: "x.dev" } });
      fireEvent.input(screen.getByLabelText(requestsLabel), { target: { value: "10" } });
      fireEvent.input(screen.getByLabelText(windowLabel), { target: { value: "0.5" } });
      fireEvent.click(screen.getByRole("button", { name: "Set limit" }));
      expect(onInvalid, layout).toHaveBeenCalledWith(
        "The window must be a whole number of seconds above 0",
      );
      expect(onSet).not.toHaveBeenCalled();
      fireEvent.input(screen.getByLabelText(windowLabel), { target: { value: "30" } });
      fireEvent.click(screen.getByRole("button", { name: "Set limit" }));
      expect(onSet).toHaveBeenCalledWith({ host: "x.dev", limit: 10, windowSeconds: 30 });
      unmount();
    }
  });
});
