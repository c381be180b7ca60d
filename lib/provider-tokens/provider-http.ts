import type { ProviderClient } from "@/lib/providers/catalog";

/** Every call to a provider gives up after this long (the refresh lease outlasts it). */
export const PROVIDER_TIMEOUT_MS = 10_000;

/** Client authentication exactly as the provider expects it (RFC 6749 §2.3.1). */
export function clientAuth(client: ProviderClient, body: URLSearchParams): Record<string, string> {
  if (client.clientAuth === "client_secret_post") {
    body.set("client_id", client.clientId);
    body.set("client_secret", client.clientSecret);
    return {};
  }
  const basic = Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString("base64");
  return { authorization: `Basic ${basic}` };
}

export async function postForm(url: string, body: URLSearchParams, headers: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", ...headers },
    body,
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
    cache: "no-store",
  });
}

export async function readJson(response: Response): Promise<Record<string, unknown>> {
  try {
    const parsed: unknown = await response.json();
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
