// Writes a synthetic HAR for the benchmarks: Chrome-shaped entries to the Casola and Cuadra APIs
// and a CDN, with realistic JSON bodies, rate-limit headers and about 7% errors and retries.
// No real traffic. Run:
// node scripts/make-har.mjs OUT.har (--entries N | --bytes SIZE) [--shuffle K] [--errors RATE]
// SIZE takes a suffix: 2G, 116M. --shuffle K swaps each entry with one up to K places away, for
// files that are not in order of start time. --errors RATE (default 0.035) is the share of requests
// that fail and are retried: 0.6 makes a file of which most requests are findings.
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";

/** The synthetic session starts here, where the tests' timelines start (T0 in test/support/har.ts). */
const START = Date.parse("2026-11-23T10:00:00.000Z");
const WORDS =
  "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu".split(
    " ",
  );

/** A deterministic generator, so that the same arguments write the same file. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(14);
const pick = (list) => list[Math.floor(rand() * list.length)];
const sentence = (n) => Array.from({ length: n }, () => pick(WORDS)).join(" ");

function headers(map) {
  return Object.entries(map).map(([name, value]) => ({ name, value: String(value) }));
}

function okBody(i) {
  // About 600 bytes of JSON, as a job or chat answer is.
  return JSON.stringify({
    id: `job_${i.toString(36)}`,
    object: "job",
    status: pick(["queued", "running", "succeeded"]),
    created: Math.floor((START + i * 200) / 1000),
    model: pick(["casola-large-2", "casola-small-1", "cuadra-chat-3"]),
    output: { text: sentence(6), tokens: Math.floor(rand() * 2000) },
    usage: { prompt_tokens: Math.floor(rand() * 500), completion_tokens: Math.floor(rand() * 900) },
    metadata: { request: `req_${(i * 7919).toString(36)}`, region: pick(["us", "eu", "ap"]) },
  });
}

const ERRORS = [
  {
    status: 429,
    body: () =>
      JSON.stringify({ error: { code: "rate_limit", message: "Too many requests. Slow down." } }),
    headers: { "retry-after": "2", "x-ratelimit-limit": 100, "x-ratelimit-remaining": 0 },
  },
  {
    status: 429,
    body: () =>
      JSON.stringify({ error: { code: "quota_exceeded", message: "Plan usage limit reached" } }),
    headers: {},
  },
  {
    status: 503,
    body: () =>
      JSON.stringify({
        error: { code: "model_warming_up", message: "The model is warming up, try again later" },
      }),
    headers: {},
  },
  {
    status: 500,
    body: () => "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>",
    headers: { "content-type": "text/html" },
  },
];

function entry(i, at, { method, url, status, body, extra = {}, postData }) {
  const duration = 80 + Math.floor(rand() * 400);
  const json = !extra["content-type"];
  return {
    startedDateTime: new Date(at).toISOString(),
    time: duration,
    request: {
      method,
      url,
      httpVersion: "http/2.0",
      headers: headers({
        authorization: "Bearer <redacted>",
        "content-type": "application/json",
        "sec-fetch-dest": "empty",
      }),
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: postData === undefined ? 0 : postData.length,
      ...(postData === undefined
        ? {}
        : { postData: { mimeType: "application/json", text: postData } }),
    },
    response: {
      status,
      statusText: "",
      httpVersion: "http/2.0",
      headers: headers({
        "content-type": "application/json",
        date: new Date(at + duration).toUTCString(),
        "x-ratelimit-limit": 1000,
        "x-ratelimit-remaining": 1000 - (i % 1000),
        "x-ratelimit-reset": 60 - (Math.floor(at / 1000) % 60),
        ...extra,
      }),
      cookies: [],
      content: { size: body.length, mimeType: json ? "application/json" : "text/html", text: body },
      redirectURL: "",
      headersSize: -1,
      bodySize: body.length,
    },
    cache: {},
    timings: { send: 0, wait: duration - 1, receive: 1 },
    _initiator:
      i % 4 !== 0
        ? undefined
        : {
            type: "script",
            stack: {
              callFrames: [
                {
                  functionName: "submitJob",
                  scriptId: "12",
                  url: "https://app.example.com/assets/client.js",
                  lineNumber: 41,
                  columnNumber: 10,
                },
              ],
            },
          },
    _priority: "High",
    _resourceType: "fetch",
  };
}

/** Yields entries in order of start time: `errorRate` of them errors, each followed by a retry. */
function* entries(limit) {
  let at = START;
  for (let i = 0; i < limit; i++) {
    at += 50 + Math.floor(rand() * 300);
    const api = i % 3 === 0 ? "https://api.cuadra.ai/v1/chat" : "https://api.casola.ai/v1/jobs";
    const method = i % 2 === 0 ? "POST" : "GET";
    const url = method === "POST" ? api : `${api}/${(i % 5000).toString(36)}`;
    const postData = method === "POST" ? JSON.stringify({ prompt: sentence(6), n: i }) : undefined;
    if (rand() < errorRate && i + 1 < limit) {
      const error = pick(ERRORS);
      yield entry(i, at, {
        method,
        url,
        status: error.status,
        body: error.body(),
        extra: error.headers,
        postData,
      });
      i++;
      at += 200 + Math.floor(rand() * 3000);
      yield entry(i, at, { method, url, status: 200, body: okBody(i), postData });
      continue;
    }
    yield entry(i, at, { method, url, status: 200, body: okBody(i), postData });
  }
}

function sizeOf(text) {
  const match = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(text);
  if (match === null) throw new Error(`not a size: ${text}`);
  const unit = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2].toUpperCase()];
  return Math.round(Number(match[1]) * unit);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    entries: { type: "string" },
    bytes: { type: "string" },
    shuffle: { type: "string" },
    errors: { type: "string" },
  },
});
const [out] = positionals;
if (out === undefined || (values.entries === undefined) === (values.bytes === undefined)) {
  console.error(
    "usage: node scripts/make-har.mjs OUT.har (--entries N | --bytes SIZE) [--shuffle K] [--errors RATE]",
  );
  process.exit(2);
}
const maxEntries = values.entries === undefined ? Number.POSITIVE_INFINITY : Number(values.entries);
const maxBytes = values.bytes === undefined ? Number.POSITIVE_INFINITY : sizeOf(values.bytes);
const shuffle = Number(values.shuffle ?? 0);
const errorRate = Number(values.errors ?? 0.035);

const stream = createWriteStream(out);
const write = (text) =>
  stream.write(text) ? Promise.resolve() : new Promise((r) => stream.once("drain", r));

const head = `{\n  "log": {\n    "version": "1.2",\n    "creator": { "name": "ratelens make-har", "version": "1" },\n    "pages": [],\n    "entries": [\n`;
await write(head);
let bytes = head.length;
let written = 0;
let batch = [];
const window = [];
const flush = async () => {
  if (batch.length === 0) return;
  const text = (written > batch.length ? ",\n" : "") + batch.join(",\n");
  batch = [];
  await write(text);
  bytes += Buffer.byteLength(text);
};
const add = (e) => {
  batch.push(`      ${JSON.stringify(e)}`);
  written++;
};
for (const e of entries(maxEntries)) {
  window.push(e);
  if (window.length <= shuffle) continue;
  // Swap the oldest held entry with a random one of the window: out of order by up to `shuffle`.
  const j = Math.floor(rand() * window.length);
  [window[0], window[j]] = [window[j], window[0]];
  add(window.shift());
  if (batch.length >= 1000) {
    await flush();
    if (bytes >= maxBytes) break;
  }
}
if (bytes < maxBytes) for (const e of window) add(e);
await flush();
await write("\n    ]\n  }\n}\n");
stream.end();
await new Promise((r) => stream.on("finish", r));
console.error(`${out}: ${written} entries, ${(bytes / 1024 ** 2).toFixed(1)} MB`);
