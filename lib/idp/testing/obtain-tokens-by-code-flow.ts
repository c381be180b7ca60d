import { createHash, randomBytes } from "node:crypto";

export type TokenResponse = { access_token: string; refresh_token?: string; expires_in: number; scope?: string; token_type: string; id_token?: string };

/** A browser's cookie jar, just enough for the demo IdP's interaction cookies. */
class CookieJar {
  private cookies = new Map<string, string>();
  store(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const [name, ...value] = pair!.split("=");
      this.cookies.set(name!.trim(), value.join("="));
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/**
 * Drives the demo IdP's authorization-code + PKCE flow over HTTP as a browser would (login, consent)
 * and exchanges the code: real tokens for integration tests, without a browser.
 */
export async function obtainTokensByCodeFlow(input: { issuer: string; clientId: string; clientSecret: string; redirectUri: string; login: string; scope?: string }): Promise<TokenResponse> {
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const authorize = new URL(`${input.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    response_type: "code",
    scope: input.scope ?? "openid email profile offline_access",
    state: randomBytes(8).toString("hex"),
    code_challenge: challenge,
    code_challenge_method: "S256",
    prompt: "consent",
  }).toString();

  let next: string = authorize.toString();
  for (let step = 0; step < 12; step++) {
    const response = await fetch(next, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.store(response);
    const location = response.headers.get("location");
    if (location) {
      const target = new URL(location, next);
      if (target.href.startsWith(input.redirectUri)) {
        const code = target.searchParams.get("code");
        if (!code) throw new Error(`authorization failed: ${target.searchParams.get("error")} ${target.searchParams.get("error_description")}`);
        return exchangeCode(input, code, verifier);
      }
      next = target.toString();
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`unexpected page from the IdP (HTTP ${response.status})`);
    const isLogin = html.includes('name="login"');
    const body = new URLSearchParams(isLogin ? { prompt: "login", login: input.login, password: "demo" } : { prompt: "consent" });
    const posted = await fetch(new URL(action.replace(/&amp;/g, "&"), next), {
      method: "POST",
      redirect: "manual",
      headers: { cookie: jar.header(), "content-type": "application/x-www-form-urlencoded" },
      body,
    });
    jar.store(posted);
    const after = posted.headers.get("location");
    if (!after) throw new Error(`the IdP did not redirect after ${isLogin ? "login" : "consent"} (HTTP ${posted.status})`);
    next = new URL(after, next).toString();
  }
  throw new Error("authorization did not finish");
}

function basic(clientId: string, clientSecret: string) {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64")}`;
}

async function exchangeCode(input: { issuer: string; clientId: string; clientSecret: string; redirectUri: string }, code: string, verifier: string): Promise<TokenResponse> {
  const response = await fetch(`${input.issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(input.clientId, input.clientSecret) },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: input.redirectUri, code_verifier: verifier }),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`token exchange failed: ${json.error}`);
  return json as TokenResponse;
}

export async function introspectToken(issuer: string, clientId: string, clientSecret: string, token: string): Promise<{ active: boolean } & Record<string, unknown>> {
  const response = await fetch(`${issuer}/token/introspection`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(clientId, clientSecret) },
    body: new URLSearchParams({ token }),
  });
  return response.json();
}

export async function revokeTokenAtIdp(issuer: string, clientId: string, clientSecret: string, token: string): Promise<number> {
  const response = await fetch(`${issuer}/token/revocation`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(clientId, clientSecret) },
    body: new URLSearchParams({ token }),
  });
  return response.status;
}

export async function refreshAtIdp(issuer: string, clientId: string, clientSecret: string, refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic(clientId, clientSecret) },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }),
  });
  return { status: response.status, body: await response.json() };
}
