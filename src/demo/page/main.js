// Wires the buttons to the scenarios of client.js and shows one log line per request.
import { SCENARIO_FUNCTIONS, setReporter } from "./client.js";

const log = document.getElementById("log");
const outcomes = document.getElementById("outcomes");
const status = document.getElementById("status");
const buttons = [...document.querySelectorAll("button[data-scenario]")];
let current = "";

setReporter({
  request({ method, url, status: code, code: errorCode, remaining, retryAfter, note }) {
    const { host, pathname } = new URL(url);
    const item = document.createElement("li");
    item.dataset.scenario = current;
    item.dataset.status = String(code);
    item.dataset.code = errorCode;
    const details = [
      errorCode,
      remaining === null ? "" : `remaining ${remaining}`,
      retryAfter === null ? "" : `Retry-After ${retryAfter}`,
      note ?? "",
    ].filter(Boolean);
    item.textContent = `${current}  ${method} ${host}${pathname} -> ${code}  ${details.join(", ")}`;
    log.append(item);
  },
  outcome(text) {
    const line = document.createElement("li");
    line.textContent = `${current}: ${text}`;
    outcomes.append(line);
  },
});

async function run(label, ids) {
  for (const button of buttons) button.disabled = true;
  log.replaceChildren();
  outcomes.replaceChildren();
  delete document.body.dataset.done;
  document.body.dataset.running = label;
  for (const id of ids) {
    current = id;
    status.textContent = `running: ${id}`;
    try {
      await SCENARIO_FUNCTIONS[id]();
    } catch (error) {
      const line = document.createElement("li");
      line.textContent = `${id}: failed: ${error instanceof Error ? error.message : error}`;
      outcomes.append(line);
    }
    status.textContent = `done: ${id}`;
  }
  delete document.body.dataset.running;
  document.body.dataset.done = label;
  status.textContent = `done: ${label}`;
  for (const button of buttons) button.disabled = false;
}

for (const button of buttons) {
  const id = button.dataset.scenario;
  button.addEventListener("click", () =>
    id === "run-all" ? run("run-all", Object.keys(SCENARIO_FUNCTIONS)) : run(id, [id]),
  );
}
