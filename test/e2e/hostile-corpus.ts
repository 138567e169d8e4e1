import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { FixedResponse } from "../../src/demo/server.js";

/**
 * The hostile responses both browsers' hostile specs serve in the API's place: markup and script
 * in bodies and headers, `javascript:` URLs, bidi overrides and other control characters, huge
 * strings, deep JSON, invalid UTF-8. A payload that runs sets MARK in its window (and the top
 * one); one that loads anything asks `sinkUrl`.
 */

export const MARK = "__ratelensPwned";

/** Markup and script that marks the window it runs in, and loads from the sink. */
function payload(sinkUrl: string, tag: string): string {
  const mark = `window.${MARK}=1;try{top.${MARK}=1}catch(e){}`;
  return [
    `<script>${mark}</script>`,
    `<img src="${sinkUrl}/img-${tag}" onerror="${mark}">`,
    `<svg onload="${mark}"></svg>`,
    `<iframe src="javascript:${mark}"></iframe>`,
    `<a href="javascript:${mark}">click</a>`,
    `<link rel=stylesheet href="${sinkUrl}/css-${tag}">`,
    `<style>@import url(${sinkUrl}/import-${tag});</style>`,
    `javascript:${mark}`,
  ].join("");
}

/** A header value as its UTF-8 bytes on the wire (Node writes a header's string as latin1). */
function utf8Header(value: string): string {
  return Buffer.from(value).toString("latin1");
}

export interface Hostile extends FixedResponse {
  /** Path and query the page asks for. */
  path: string;
}

export function hostileCorpus(sinkUrl: string): Hostile[] {
  const bidi =
    "\u202Eevil\u202C\u2066x\u2069\u200F\u0000\u0007\u001b[31mred\u001b]0;title\u0007\u009b2J";
  return [
    {
      path: "/v1/jobs?q=<script>x</script>&next=javascript:alert(1)",
      status: 500,
      headers: { "Content-Type": "text/html" },
      body: `<!doctype html><html><body>${payload(sinkUrl, "html")}</body></html>`,
    },
    {
      path: "/v1/jobs",
      status: 429,
      headers: {
        "Content-Type": "application/json",
        "Retry-After": `<img src="${sinkUrl}/retry-after">`,
        "X-RateLimit-Remaining": "<svg onload=alert(1)>",
        "X-Evil": payload(sinkUrl, "header"),
        Link: `<javascript:alert(1)>; rel="next"`,
      },
      body: JSON.stringify({
        error: {
          code: payload(sinkUrl, "code"),
          message: payload(sinkUrl, "message"),
          details: [payload(sinkUrl, "d")],
        },
      }),
    },
    {
      path: "/v1/models",
      status: 400,
      // Header values cannot hold control characters; the bidi override goes as UTF-8 bytes.
      headers: { "Content-Type": "application/json", "X-Bidi": utf8Header("\u202Eevil\u2066") },
      body: JSON.stringify({
        error: { code: bidi, message: `${bidi}${payload(sinkUrl, "bidi")}` },
      }),
    },
    {
      path: "/v1/usage",
      status: 503,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        error: { code: "x".repeat(100_000), message: "y".repeat(2_000_000) },
      }),
    },
    {
      path: "/v1/chat",
      status: 422,
      headers: { "Content-Type": "application/json" },
      body: `{"error":{"code":"deep","message":"m","details":${"[".repeat(20_000)}${"]".repeat(20_000)}}}`,
    },
    {
      path: "/v1/accounts",
      status: 500,
      headers: { "Content-Type": "application/json; charset=utf-8" },
      body: Buffer.concat([
        Buffer.from('{"error":{"code":"bad_utf8","message":"'),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80]),
        Buffer.from(`${payload(sinkUrl, "utf8")}"}}`),
      ]),
    },
  ];
}

/** A local server that records every request it gets: a payload that loads anything asks it. */
export interface Sink {
  url: string;
  /** The path of every request so far; empty it to start again. */
  hits: string[];
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    res.end("");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
