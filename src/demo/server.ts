import { createHash, X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import net, { type AddressInfo } from "node:net";
import { extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "selfsigned";
import { API_HOSTS, createMockApi, type MockApiOptions } from "./mock-api.js";

export interface DemoOptions {
  /** Port of the mock API over HTTPS (default 0: any free port). */
  httpsPort?: number;
  /** Port of the demo page over HTTP (default 0: any free port). */
  httpPort?: number;
  /** Interface both listen on (default 127.0.0.1). */
  host?: string;
  /** Options of the mock API (clock, limits, keys). */
  api?: MockApiOptions;
  /**
   * Lets the caller answer chosen API requests itself: a response it returns is sent in the
   * mock's place, and `undefined` leaves the request to the mock (the path includes the query).
   * The Firefox e2e tests send their hostile corpus this way: Firefox has nothing like
   * Playwright's `page.route`.
   */
  override?: (request: { host: string; path: string }) => FixedResponse | undefined;
}

/** A whole response, sent as it is: header values are written as bytes (latin1 strings). */
export interface FixedResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string | Buffer;
}

export interface DemoServer {
  /** The demo page, e.g. http://127.0.0.1:5173/demo/. */
  pageUrl: string;
  httpsPort: number;
  httpPort: number;
  /** For Chromium's --host-resolver-rules: every API host on port 443 onto the mock. */
  hostResolverRules: string;
  /** Base64 SHA-256 of the certificate's SubjectPublicKeyInfo, for --ignore-certificate-errors-spki-list. */
  spkiFingerprint: string;
  /**
   * For Firefox, which has no host resolver rules: an HTTPS proxy (`host:port`) that tunnels the
   * API hosts, and nothing else, to the mock. It is the demo page's server, answering CONNECT.
   */
  httpsProxy: string;
  close(): Promise<void>;
}

const PAGE_PATH = "/demo/";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * The page's folder: `page/` next to this module, in src/demo and equally in dist/demo once the
 * module is bundled there with the folder copied beside it. import.meta.url goes through a
 * variable so that a bundler does not take `new URL("./page/", import.meta.url)` for an asset.
 */
export function pageDirectory(): string {
  const here = import.meta.url;
  const candidates = [new URL("./page/", here), new URL("../../src/demo/page/", here)];
  const found = candidates.find((url) => existsSync(new URL("index.html", url)));
  return fileURLToPath(found ?? (candidates[0] as URL));
}

export function spkiFingerprintOf(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

export function hostResolverRulesFor(target: string, httpsPort: number): string {
  return API_HOSTS.map((host) => `MAP ${host}:443 ${target}:${httpsPort}`).join(", ");
}

/** A certificate for every API host, made fresh for each run and trusted only by its key. */
async function certificate(): Promise<{ key: string; cert: string }> {
  const notBeforeDate = new Date(Date.now() - 24 * 3600_000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3600_000);
  const pems = await generate([{ name: "commonName", value: "api.casola.ai" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: API_HOSTS.map((value) => ({ type: 2 as const, value })),
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

function servePage(root: string): http.RequestListener {
  return (req, res) => {
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, {
        "Content-Type": type,
        "Content-Length": String(Buffer.byteLength(body)),
        "Cache-Control": "no-cache",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    void (async () => {
      if (req.method !== "GET" && req.method !== "HEAD") {
        return send(405, "text/plain; charset=utf-8", "Method not allowed\n");
      }
      const { pathname } = new URL(req.url ?? "/", "http://demo.invalid");
      if (pathname === "/" || pathname === PAGE_PATH.slice(0, -1)) {
        res.writeHead(302, { Location: PAGE_PATH });
        return res.end();
      }
      // No favicon: a 404 for it would only add noise to the page's network log.
      if (pathname === "/favicon.ico") {
        res.writeHead(204);
        return res.end();
      }
      if (!pathname.startsWith(PAGE_PATH)) return send(404, "text/plain", "Not found\n");
      let relative: string;
      try {
        relative = decodeURIComponent(pathname.slice(PAGE_PATH.length)) || "index.html";
      } catch {
        return send(400, "text/plain; charset=utf-8", "Bad path\n");
      }
      const file = resolve(root, relative);
      if (!file.startsWith(root.endsWith(sep) ? root : root + sep) || relative.includes("\0")) {
        return send(404, "text/plain; charset=utf-8", "Not found\n");
      }
      try {
        if (!(await stat(file)).isFile()) throw new Error("not a file");
        const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
        send(200, type, await readFile(file));
      } catch {
        send(404, "text/plain; charset=utf-8", "Not found\n");
      }
    })();
  };
}

/**
 * Answers `CONNECT api.casola.ai:443` (and the other API hosts) with a tunnel to the mock; any
 * other host is refused, so a browser pointed at this proxy reaches nothing outside the machine.
 */
function tunnelApiHosts(page: http.Server, mock: () => { host: string; port: number }): () => void {
  // A tunnel leaves the HTTP server's hands: close() and closeAllConnections() do not end it.
  const open = new Set<net.Socket>();
  page.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const [host, port] = (req.url ?? "").split(":");
    if (port !== "443" || host === undefined || !API_HOSTS.includes(host)) {
      client.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const target = mock();
    const upstream = net.connect(target.port, target.host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    const drop = () => {
      upstream.destroy();
      client.destroy();
      open.delete(upstream);
      open.delete(client);
    };
    open.add(upstream).add(client);
    upstream.on("error", drop).on("close", drop);
    client.on("error", drop).on("close", drop);
  });
  return () => {
    for (const socket of open) socket.destroy();
  };
}

function listen(server: http.Server | https.Server, port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      done((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server | https.Server): Promise<void> {
  return new Promise((done) => {
    if (!server.listening) return done();
    server.close(() => done());
    // Keep-alive connections from a browser would otherwise hold close() open.
    server.closeAllConnections();
  });
}

/**
 * The mock Casola and Cuadra APIs over HTTPS under their real host names (Chromium reaches them
 * through `hostResolverRules` and trusts them through `spkiFingerprint`; Firefox through the
 * `httpsProxy` tunnel, trusting them for the automated session only), and the demo page over
 * plain HTTP on another origin.
 */
export async function startDemo(options: DemoOptions = {}): Promise<DemoServer> {
  const host = options.host ?? "127.0.0.1";
  const { key, cert } = await certificate();
  const mock = createMockApi(options.api);
  const override = options.override;
  const api = https.createServer({ key, cert }, (req, res) => {
    const fixed = override?.({
      host: (req.headers.host ?? "").replace(/:\d+$/, ""),
      path: req.url ?? "/",
    });
    if (fixed === undefined) return mock(req, res);
    res.writeHead(fixed.status, {
      ...fixed.headers,
      "Content-Length": Buffer.byteLength(fixed.body),
    });
    res.end(fixed.body);
  });
  const page = http.createServer(servePage(pageDirectory()));
  const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  let httpsPort = 0;
  const closeTunnels = tunnelApiHosts(page, () => ({ host: reachable, port: httpsPort }));
  try {
    httpsPort = await listen(api, options.httpsPort ?? 0, host);
    const httpPort = await listen(page, options.httpPort ?? 0, host);
    const urlHost = reachable.includes(":") ? `[${reachable}]` : reachable;
    return {
      pageUrl: `http://${urlHost}:${httpPort}${PAGE_PATH}`,
      httpsPort,
      httpPort,
      hostResolverRules: hostResolverRulesFor(urlHost, httpsPort),
      spkiFingerprint: spkiFingerprintOf(cert),
      httpsProxy: `${urlHost}:${httpPort}`,
      close: async () => {
        closeTunnels();
        await Promise.all([closeServer(api), closeServer(page)]);
      },
    };
  } catch (error) {
    await Promise.all([closeServer(api), closeServer(page)]);
    throw error;
  }
}
