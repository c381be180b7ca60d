import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { DEMO_CLIENT_IDS, findCatalogueEntry, PROVIDER_IDS, type ProviderId } from "@/lib/providers/catalog";
import { demoConnectClientId } from "@/lib/providers/demo-connect";
import { DEMO_USERS, findDemoUser } from "./demo-users";
import { readFormBody } from "./read-form-body";

/*
 * The demo IdP's own sign-in and consent pages (instead of oidc-provider's development interactions):
 * server-rendered, styled after the provider being played, no external request (one inline style
 * sheet allowed by a per-response nonce), and a CSP that allows nothing else.
 */

const MAX_FORM_BYTES = 4 * 1024;
export const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,100})(?:\/(login|confirm|abort))?$/;

type Look = { name: string; background: string; card: string; text: string; accent: string; accentText: string; muted: string; border: string };

const LOOKS: Record<ProviderId, Look> = {
  google: {
    name: "Demo Google",
    background: "#f0f4f9",
    card: "#ffffff",
    text: "#1f1f1f",
    accent: "#0b57d0",
    accentText: "#ffffff",
    muted: "#444746",
    border: "#c4c7c5",
  },
  "microsoft-entra-id": {
    name: "Demo Microsoft",
    background: "#f2f2f2",
    card: "#ffffff",
    text: "#1b1b1b",
    accent: "#0067b8",
    accentText: "#ffffff",
    muted: "#605e5c",
    border: "#8a8886",
  },
  github: {
    name: "Demo GitHub",
    background: "#0d1117",
    card: "#161b22",
    text: "#e6edf3",
    accent: "#238636",
    accentText: "#ffffff",
    muted: "#8d96a0",
    border: "#30363d",
  },
};

const CONNECT_LOOK: Look = {
  name: "Demo provider",
  background: "#f4f4f5",
  card: "#ffffff",
  text: "#18181b",
  accent: "#4a154b",
  accentText: "#ffffff",
  muted: "#52525b",
  border: "#d4d4d8",
};

const escape = (value: unknown) => String(value ?? "").replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const CONNECT_CLIENT_PREFIX = demoConnectClientId("");

/** The look of the provider being played: a sign-in provider's, or a plain one named after a connect provider. */
function lookOf(clientId: unknown): Look {
  const signIn = PROVIDER_IDS.find((id) => DEMO_CLIENT_IDS[id] === clientId);
  if (signIn || typeof clientId !== "string" || !clientId.startsWith(CONNECT_CLIENT_PREFIX)) return LOOKS[signIn ?? "google"];
  const id = clientId.slice(CONNECT_CLIENT_PREFIX.length);
  return { ...CONNECT_LOOK, name: `Demo ${findCatalogueEntry(id, {})?.displayName ?? id}` };
}

/** Serves GET /interaction/:uid (the login or consent page) and its POSTs; anything else is a 404/405. */
export async function serveInteraction(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  formActionOrigins: string[],
): Promise<void> {
  const match = INTERACTION_PATH.exec(path)!;
  const step = match[2];
  if (!step && req.method !== "GET") return void res.writeHead(405, { allow: "GET" }).end();
  if (step && step !== "abort" && req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
  // Throws SessionNotFound (400) when the browser's interaction cookie does not match this uid.
  const interaction = await provider.interactionDetails(req, res);
  if (interaction.uid !== match[1]) return void res.writeHead(404).end();
  const look = lookOf(interaction.params.client_id);

  if (!step) {
    const page =
      interaction.prompt.name === "login"
        ? loginPage(look, interaction.uid, null)
        : consentPage(
            look,
            interaction.uid,
            String(interaction.params.scope ?? "")
              .split(" ")
              .filter(Boolean),
          );
    return sendPage(res, page, formActionOrigins);
  }
  if (step === "abort") {
    return provider.interactionFinished(
      req,
      res,
      { error: "access_denied", error_description: "The person cancelled sign-in at the demo identity provider." },
      { mergeWithLastSubmission: false },
    );
  }
  const form = await readFormBody(req, MAX_FORM_BYTES);
  if (step === "login") {
    const login = (form.get("login") ?? "").trim().toLowerCase();
    const user = findDemoUser(login);
    if (!user || interaction.prompt.name !== "login")
      return sendPage(
        res,
        loginPage(look, interaction.uid, "That is not a name the demo accepts: lowercase letters, digits, dots and dashes."),
        formActionOrigins,
      );
    return provider.interactionFinished(req, res, { login: { accountId: user.login } }, { mergeWithLastSubmission: false });
  }
  // Consent: grant exactly what was asked (the demo user agrees to everything the app requested).
  const { prompt, params, session } = interaction;
  if (prompt.name !== "consent" || !session?.accountId) return void res.writeHead(400).end();
  const details = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  const grant = interaction.grantId
    ? await provider.Grant.find(interaction.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: String(params.client_id) });
  if (!grant) return void res.writeHead(400).end();
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(" "));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(" "));
  const grantId = await grant.save();
  // Always a consent result, also for a grant that existed: an authorization asking prompt=consent (Atlassian's entry,
  // reconnects) is satisfied only by one, and without it oidc-provider asked for consent again, forever.
  return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

function sendPage(res: ServerResponse, body: { title: string; html: string; look: Look }, formActionOrigins: string[]): void {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  // Forms post here; their answers redirect on to the app, which form-action must allow in Chromium.
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self'; form-action 'self' ${formActionOrigins.join(" ")}; frame-ancestors 'none'; base-uri 'none'`;
  res.writeHead(200, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "content-security-policy": csp,
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
  });
  res.end(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(body.title)}</title><style nonce="${nonce}">${styles(body.look)}</style></head><body><main class="card">${body.html}</main></body></html>`,
  );
}

function styles(look: Look): string {
  return `*{box-sizing:border-box}body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:${look.background};color:${look.text};font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.card{width:100%;max-width:26rem;margin:2rem 1rem;padding:2rem;background:${look.card};border:1px solid ${look.border};border-radius:12px}
h1{font-size:1.5rem;margin:0 0 .25rem}p{margin:.25rem 0 1rem;color:${look.muted}}.note{font-size:.85rem}
ul{list-style:none;margin:0 0 1rem;padding:0}li{margin:.4rem 0}form{margin:0}
button{font:inherit;cursor:pointer;border-radius:8px;padding:.55rem 1rem;border:1px solid ${look.border};background:transparent;color:${look.text};width:100%;text-align:left}
button.primary{background:${look.accent};border-color:${look.accent};color:${look.accentText};text-align:center}
.user small{display:block;color:${look.muted}}label{display:block;margin:1rem 0 .25rem;font-weight:600}
input[type=text]{font:inherit;width:100%;padding:.5rem;border-radius:8px;border:1px solid ${look.border};background:${look.card};color:${look.text};margin-bottom:.75rem}
.error{color:#d1242f;font-weight:600}.row{display:flex;gap:.5rem}.row form{flex:1}.scopes li{padding:.35rem .5rem;border:1px solid ${look.border};border-radius:6px;font-family:ui-monospace,monospace;font-size:.85rem}`;
}

function loginPage(look: Look, uid: string, error: string | null) {
  const action = `/interaction/${escape(uid)}/login`;
  const users = Object.entries(DEMO_USERS)
    .map(
      ([login, user]) =>
        `<li><form method="post" action="${action}"><input type="hidden" name="login" value="${escape(login)}"><button type="submit" class="user">${escape(login)} <small>${escape(user.name)} · ${escape(user.email)}${user.emailVerified ? "" : " · email not verified"}</small></button></form></li>`,
    )
    .join("");
  return {
    look,
    title: `${look.name}: sign in`,
    html: `<h1>${escape(look.name)}</h1><p>Choose an account to continue. This is Tessera's demo identity provider: no password, no real ${escape(look.name.replace("Demo ", ""))} account.</p>
${error ? `<p class="error" role="alert">${escape(error)}</p>` : ""}<ul>${users}</ul>
<form method="post" action="${action}"><label for="login">Or sign in as another name</label><input type="text" id="login" name="login" autocomplete="username" pattern="[a-z0-9][a-z0-9._\\-]{0,40}" required><button type="submit" class="primary">Sign in</button></form>
<p class="note"><a href="/interaction/${escape(uid)}/abort">Cancel</a></p>`,
  };
}

function consentPage(look: Look, uid: string, scopes: string[]) {
  return {
    look,
    title: `${look.name}: allow access`,
    html: `<h1>${escape(look.name)}</h1><p>Tessera asks for this access to your account:</p>
<ul class="scopes">${scopes.map((scope) => `<li>${escape(scope)}</li>`).join("")}</ul>
<div class="row"><form method="post" action="/interaction/${escape(uid)}/confirm"><button type="submit" class="primary">Continue</button></form><form method="get" action="/interaction/${escape(uid)}/abort"><button type="submit">Cancel</button></form></div>`,
  };
}
