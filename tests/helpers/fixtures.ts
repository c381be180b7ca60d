import { randomBytes } from "node:crypto";
import { NextRequest } from "next/server";
import { hashSessionToken } from "@/lib/auth/hash-session-token";
import { getDb } from "@/lib/db/client";
import { createToken, createTokenSchema } from "@/lib/pat/create-token";

export const TEST_ORIGIN = "http://localhost:3000";

export async function createUser(options: { email?: string; name?: string; role?: "USER" | "ADMIN" } = {}) {
  const email = options.email ?? `user-${randomBytes(4).toString("hex")}@example.com`;
  return getDb().user.create({ data: { email, name: options.name ?? email.split("@")[0], role: options.role ?? "USER" } });
}

/** A signed-in browser: a Session row as Tessera's adapter writes it (the token's hash), and the matching cookie header. */
export async function createSessionCookie(userId: string): Promise<string> {
  const sessionToken = randomBytes(32).toString("hex");
  await getDb().session.create({ data: { sessionToken: hashSessionToken(sessionToken), userId, expires: new Date(Date.now() + 24 * 3600_000) } });
  return `authjs.session-token=${sessionToken}`;
}

/** Creates a PAT the way a signed-in person does (through a live session of theirs). */
export async function createTokenAsUser(user: { id: string; role: "USER" | "ADMIN" }, input: Parameters<typeof createTokenSchema.parse>[0]) {
  const cookie = await createSessionCookie(user.id);
  const sessionToken = cookie.slice(cookie.indexOf("=") + 1);
  return createToken(user, createTokenSchema.parse(input), { ip: null, credential: { sessionToken } });
}

// Route params differ per route; `never` lets any handler be passed, the call supplies the values.
type Handler = (request: NextRequest, context: { params: Promise<never> }) => Promise<Response>;

export type Call = { method?: string; path: string; headers?: Record<string, string>; body?: unknown; params?: Record<string, string> };

/** Calls a route handler the way Next does, with a real Request. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON bodies
export type CallResult = { status: number; headers: Headers; text: string; json: () => any };

export async function callRoute(handler: Handler, call: Call): Promise<CallResult> {
  const headers = new Headers({ "x-forwarded-for": "203.0.113.7", host: "localhost:3000", ...call.headers });
  let body: string | undefined;
  if (call.body !== undefined) {
    body = typeof call.body === "string" ? call.body : JSON.stringify(call.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new NextRequest(new URL(call.path, TEST_ORIGIN), { method: call.method ?? "GET", headers, body });
  const response = await handler(request, { params: Promise.resolve(call.params ?? {}) as Promise<never> });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

export const sameOrigin = (cookie: string) => ({ cookie, origin: TEST_ORIGIN, "sec-fetch-site": "same-origin" });
