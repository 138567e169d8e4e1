import { X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_HOSTS } from "./mock-api.js";
import { SCENARIOS } from "./scenarios.js";
import { type DemoServer, pageDirectory, spkiFingerprintOf, startDemo } from "./server.js";

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The server's certificate, for HTTPS. */
  certificate?: X509Certificate;
}

function read(
  res: http.IncomingMessage,
  done: (reply: Reply) => void,
  certificate?: X509Certificate,
) {
  let text = "";
  res.setEncoding("utf8");
  res.on("data", (chunk: string) => {
    text += chunk;
  });
  res.on("end", () =>
    done({ status: res.statusCode ?? 0, headers: res.headers, text, certificate }),
  );
}

function page(port: number, path: string): Promise<Reply> {
  return new Promise((done, fail) => {
    http.get({ host: "127.0.0.1", port, path }, (res) => read(res, done)).on("error", fail);
  });
}

/** A request to the mock as a browser mapped onto it sends it: SNI and Host name the API host. */
function api(
  port: number,
  host: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = https.request(
      {
        host: "127.0.0.1",
        port,
        servername: host,
        rejectUnauthorized: false,
        method: options.method ?? "GET",
        path: options.path ?? "/v1/models",
        headers: { host, ...options.headers },
        agent: false,
      },
      (res) => {
        const raw = (res.socket as TLSSocket).getPeerCertificate().raw;
        read(res, done, new X509Certificate(raw));
      },
    );
    req.on("error", fail);
    req.end(options.body);
  });
}

let demo: DemoServer;

beforeAll(async () => {
  demo = await startDemo();
});

afterAll(async () => {
  await demo?.close();
});

describe("startDemo", () => {
  it("serves the demo page over HTTP with a button for every scenario", async () => {
    expect(demo.pageUrl).toBe(`http://127.0.0.1:${demo.httpPort}/demo/`);
    const reply = await page(demo.httpPort, "/demo/");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("text/html; charset=utf-8");
    for (const { id } of SCENARIOS) expect(reply.text).toContain(`id="${id}"`);
    expect(reply.text).toContain('id="run-all"');
    expect(reply.text).toContain('id="log"');
    expect(reply.text).toContain('id="status"');
  });

  it("serves the page's scripts as JavaScript, with each scenario's function", async () => {
    const client = await page(demo.httpPort, "/demo/client.js");
    expect(client.status).toBe(200);
    expect(client.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    for (const { functionName } of SCENARIOS) {
      expect(client.text).toMatch(new RegExp(`export async function ${functionName}\\(`));
    }
    expect((await page(demo.httpPort, "/demo/main.js")).status).toBe(200);
  });

  it("redirects / to the page and serves nothing outside its folder", async () => {
    const root = await page(demo.httpPort, "/");
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe("/demo/");
    expect((await page(demo.httpPort, "/demo/..%2fserver.ts")).status).toBe(404);
    expect((await page(demo.httpPort, "/demo/nothing.js")).status).toBe(404);
  });

  it("serves the mock API over HTTPS under every API host, with one certificate for all", async () => {
    for (const host of API_HOSTS) {
      const reply = await api(demo.httpsPort, host, {
        path: "/v1/no-such-route",
        headers: { authorization: "Bearer server-test-hosts" },
      });
      expect(reply.status, host).toBe(404);
      expect(reply.certificate?.checkHost(host), host).toBe(host);
      expect(reply.headers.date).toBeDefined();
    }
  });

  it("answers a Casola call with its rate-limit headers and a Cuadra call with problem details", async () => {
    const casola = await api(demo.httpsPort, "api.casola.ai", {
      headers: { authorization: "Bearer server-test" },
    });
    expect(casola.status).toBe(200);
    expect(casola.headers["x-ratelimit-remaining"]).toBe("4");
    const cuadra = await api(demo.httpsPort, "api.cuadra.ai", {
      method: "POST",
      path: "/v1/chat/completions",
      headers: { authorization: "Bearer server-test", "content-type": "application/json" },
      body: "{",
    });
    expect(cuadra.status).toBe(400);
    expect(cuadra.headers["content-type"]).toBe("application/problem+json");
    expect(cuadra.headers["cache-control"]).toBe("no-store");
  });

  it("gives the fingerprint of the certificate it serves, in the form Chromium takes", async () => {
    expect(demo.spkiFingerprint).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const reply = await api(demo.httpsPort, "api.casola.ai");
    expect(spkiFingerprintOf(reply.certificate?.toString() ?? "")).toBe(demo.spkiFingerprint);
  });

  it("maps every API host on port 443 onto the mock for --host-resolver-rules", () => {
    expect(demo.hostResolverRules.split(", ")).toEqual(
      API_HOSTS.map((host) => `MAP ${host}:443 127.0.0.1:${demo.httpsPort}`),
    );
  });

  it("finds the page folder beside the module", () => {
    const dir = pageDirectory();
    for (const file of ["index.html", "client.js", "main.js"]) {
      expect(existsSync(`${dir}${file}`), file).toBe(true);
    }
  });
});

describe("startDemo's override: the caller answers chosen requests itself", () => {
  it("answers the requests it picks with its response, bytes as given, and leaves the rest to the mock", async () => {
    const seen: { host: string; path: string }[] = [];
    const own = await startDemo({
      override: (request) => {
        seen.push(request);
        if (!request.path.startsWith("/v1/jobs")) return undefined;
        return {
          status: 500,
          headers: { "Content-Type": "text/html", "X-Bytes": "\u00e2\u0080\u00ae" },
          body: Buffer.from([0x3c, 0xff, 0x3e]),
        };
      },
    });
    try {
      const fixed = await api(own.httpsPort, "api.casola.ai", { path: "/v1/jobs?x=<b>" });
      expect(fixed.status).toBe(500);
      expect(fixed.headers["content-type"]).toBe("text/html");
      expect(Buffer.from(fixed.headers["x-bytes"] as string, "latin1")).toEqual(
        Buffer.from("\u202e"),
      );
      expect(fixed.headers["content-length"]).toBe("3");
      const mock = await api(own.httpsPort, "api.casola.ai", {
        headers: { authorization: "Bearer override-test" },
      });
      expect(mock.status).toBe(200);
      expect(seen).toEqual([
        { host: "api.casola.ai", path: "/v1/jobs?x=<b>" },
        { host: "api.casola.ai", path: "/v1/models" },
      ]);
    } finally {
      await own.close();
    }
  });
});
