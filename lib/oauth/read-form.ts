import type { NextRequest } from "next/server";
import { readCappedBody } from "@/lib/http/read-capped-body";
import { InvalidRequest, RequestTooLarge } from "./oauth-error";

const MAX_FORM_BYTES = 16 * 1024;

/**
 * The form body of an OAuth request (application/x-www-form-urlencoded, RFC 6749 §3.2). A parameter
 * sent twice is refused, as the RFC requires; the body is capped while it is read, not by Content-Length.
 */
export async function readForm(request: NextRequest): Promise<Map<string, string>> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") throw new InvalidRequest("The body must be application/x-www-form-urlencoded.");
  const text = await readCapped(request);
  const form = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (form.has(name)) throw new InvalidRequest(`The parameter ${name} is repeated.`);
    form.set(name, value);
  }
  return form;
}

async function readCapped(request: NextRequest): Promise<string> {
  const body = await readCappedBody(request, MAX_FORM_BYTES);
  if (!body.ok) throw body.reason === "too_large" ? new RequestTooLarge() : new InvalidRequest("The request body could not be read.");
  return body.bytes.toString("utf8");
}
