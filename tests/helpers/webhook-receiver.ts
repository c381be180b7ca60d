import { createServer, type Server } from "node:http";
import { verifyWebhookSignature } from "@/lib/webhooks/webhook-signature";

export type ReceivedWebhook = { body: string; signature: string | undefined; verified: boolean; status: number; at: number };

/**
 * A real HTTP receiver on loopback that verifies each delivery's signature as a customer would.
 * `answer` picks the status for the nth request (0-based): e.g. 500 once, then 200. "reset-mid-body" sends a
 * 200's headers and part of its body, then destroys the socket (a receiver that crashes while answering).
 */
export async function startWebhookReceiver(options: { secret?: () => string; answer?: (n: number) => number | "hang" | "garbage" | "reset-mid-body" } = {}) {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const n = received.length;
      const answer = options.answer?.(n) ?? 200;
      const signature = req.headers["tessera-signature"] as string | undefined;
      const verified = options.secret ? verifyWebhookSignature(options.secret(), body, signature).ok : false;
      received.push({ body, signature, verified, status: typeof answer === "number" ? answer : 0, at: Date.now() });
      if (answer === "hang") return; // never answers: the sender's timeout must end it
      if (answer === "garbage") {
        req.socket.end("HTTP/1.1 ???\r\n\r\nnot http at all");
        return;
      }
      if (answer === "reset-mid-body") {
        res.writeHead(200, { "content-type": "text/plain", "content-length": "1000" });
        res.write("partial", () => setTimeout(() => req.socket.destroy(), 20));
        return;
      }
      res.writeHead(answer, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
