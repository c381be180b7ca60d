import { request } from "node:http";
import { connect } from "node:net";

export type RawAnswer = { status: number; body: string };

/** An HTTP request with the path sent byte for byte (fetch and URL would normalise hostile paths). */
export function rawRequest(
  base: string,
  input: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: input.method ?? "GET", path: input.path, headers: input.headers, timeout: 10_000 },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer to ${input.method ?? "GET"} ${input.path}`)));
    req.on("error", reject);
    req.end(input.body);
  });
}

/** Writes raw bytes to the server and returns the status line it answers with ("" if it just closes). */
export function rawBytes(base: string, bytes: string | Buffer): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = "";
    socket.setTimeout(10_000, () => socket.destroy(new Error("no answer to raw bytes")));
    socket.on("connect", () => socket.write(bytes));
    socket.on("data", (chunk) => (received += chunk.toString("latin1")));
    socket.on("close", () => resolve(received.split("\r\n")[0] ?? ""));
    socket.on("error", (error: NodeJS.ErrnoException) => (error.code === "ECONNRESET" ? resolve(received.split("\r\n")[0] ?? "") : reject(error)));
  });
}

/** Sends a whole request, then hangs up at once, before any answer (a client that gave up or crashed). */
export function hangUpAfterSending(base: string, bytes: string): Promise<void> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.on("connect", () => socket.write(bytes, () => socket.destroy()));
    socket.on("close", () => resolve());
    socket.on("error", reject);
  });
}
