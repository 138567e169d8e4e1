import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";

/** A request as a client sends it: the Host header apart, the path with its query. */
export interface HandlerRequest {
  method: string;
  host: string;
  path: string;
  headers?: Readonly<Record<string, string | undefined>>;
  body?: string;
}

export interface HandlerResponse {
  status: number;
  /** As the handler wrote them (Content-Length included). */
  headers: Record<string, string>;
  body: string;
}

/**
 * One request through a `node:http` request handler, without a socket: the handler gets it as
 * node hands it one (header names in lower case, the Host header among them, the body in data
 * events), and what it writes back is returned. For a handler that answers as the request ends
 * (the demo's mock API does); one that answers later fails here.
 */
export function callHandler(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  request: HandlerRequest,
): HandlerResponse {
  const headers: Record<string, string> = { host: request.host };
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const req = Object.assign(new EventEmitter(), {
    method: request.method,
    url: request.path,
    headers,
  });
  let answer: HandlerResponse | undefined;
  let status = 0;
  let written: Record<string, string> = {};
  const res = {
    writeHead(code: number, head: Record<string, string>) {
      status = code;
      written = head;
      return res;
    },
    end(body?: Buffer) {
      answer = { status, headers: written, body: body === undefined ? "" : body.toString("utf8") };
    },
    destroy() {
      throw new Error("the handler destroyed the response");
    },
  };
  handler(req as unknown as IncomingMessage, res as unknown as ServerResponse);
  if (request.body !== undefined && request.body !== "") {
    req.emit("data", Buffer.from(request.body, "utf8"));
  }
  req.emit("end");
  if (answer === undefined) throw new Error(`no answer to ${request.method} ${request.path}`);
  return answer;
}
