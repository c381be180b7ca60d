import type { IncomingMessage } from "node:http";

/** A small urlencoded form body; a larger one is a 400 (the server's failure handler answers it). */
export async function readFormBody(req: IncomingMessage, maxBytes: number): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw Object.assign(new Error("form too large"), { status: 400 });
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}
