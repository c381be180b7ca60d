import { DemoIdpError } from "@/lib/idp/demo-idp-error";
import { CookieJar } from "./cookie-jar";

const MAX_STEPS = 20;

/**
 * Walks the demo IdP's pages from an authorization URL as a browser would: follows redirects, signs in
 * with the first form of its login page (a one-click user, its login replaced by `login`), confirms
 * consent, submits the auto-posting forms (switching user ends the previous IdP session first). Stops at the first redirect to `redirectUri`, which is returned
 * unfollowed, e.g. `http://localhost:3999/api/auth/callback/google?code=…&state=…&iss=…`.
 */
export async function completeIdpAuthorization(input: { authorizationUrl: string; redirectUri: string; login: string; jar?: CookieJar }): Promise<URL> {
  const jar = input.jar ?? new CookieJar();
  let request: { url: string; init: RequestInit } = { url: input.authorizationUrl, init: { method: "GET" } };
  let loginsSubmitted = 0;
  for (let step = 0; step < MAX_STEPS; step++) {
    const response = await fetch(request.url, {
      ...request.init,
      redirect: "manual",
      headers: { ...(request.init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(response);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const target = new URL(location, request.url);
      if (target.href.startsWith(input.redirectUri)) return target;
      request = { url: target.href, init: { method: "GET" } };
      continue;
    }
    const html = await response.text();
    const form = parseFirstForm(html);
    if (!form) throw new DemoIdpError("unexpected_idp_page", `unexpected page from the IdP (HTTP ${response.status}): ${describePage(html)}`);
    if (form.fields.has("login")) {
      if (++loginsSubmitted > 2) throw new DemoIdpError("authorization_failed", `the demo IdP did not accept the login "${input.login}"`);
      form.fields.set("login", input.login);
      form.fields.set("password", "any-password");
    }
    const body = new URLSearchParams([...form.fields]);
    const action = new URL(form.action || request.url, request.url).href;
    request =
      form.method === "post"
        ? { url: action, init: { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body } }
        : { url: `${action}${action.includes("?") ? "&" : "?"}${body}`, init: { method: "GET" } };
  }
  throw new DemoIdpError("authorization_failed", `authorization did not finish within ${MAX_STEPS} steps`);
}

function decodeEntities(value: string): string {
  return value.replace(
    /&(?:amp|quot|#39|#x27|lt|gt);/g,
    (entity) => ({ "&amp;": "&", "&quot;": '"', "&#39;": "'", "&#x27;": "'", "&lt;": "<", "&gt;": ">" })[entity] ?? entity,
  );
}

function attributesOf(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    attributes.set(match[1]!.toLowerCase(), decodeEntities(match[2] ?? match[3] ?? match[4] ?? ""));
  }
  return attributes;
}

function parseFirstForm(html: string): { action: string; method: string; fields: Map<string, string> } | null {
  const match = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!match) return null;
  const attributes = attributesOf(match[1]!);
  const fields = new Map<string, string>();
  for (const input of match[2]!.matchAll(/<input\b([^>]*)>/gi)) {
    const inputAttributes = attributesOf(input[1]!);
    const name = inputAttributes.get("name");
    if (name) fields.set(name, inputAttributes.get("value") ?? "");
  }
  return { action: attributes.get("action") ?? "", method: (attributes.get("method") ?? "get").toLowerCase(), fields };
}

function describePage(html: string): string {
  const text = html
    .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return text.slice(0, 300);
}
