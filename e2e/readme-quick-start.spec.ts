import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { SCOPE_CATALOGUE } from "../lib/pat/scopes";
import { completeIdpLogin, createServiceClientAsAdmin, obtainDemoTokens, plantUser } from "./support/app";
import { createPat, recordTestTokens } from "./support/issued-tokens";

/*
 * Issue 25 §10: README's PAT quick start answered 403 to 3 of its 4 curls with the token it told people to
 * create. Here the README's `sh` block under "## Personal access tokens" runs as written, in bash, against the
 * e2e server: the token is created with the scopes the README's text names and pasted into its `read` line on
 * stdin; only the host is swapped, and `curl` is wrapped to print each answer's status instead of its body.
 */
function readQuickStart(): { scopes: string[]; script: string } {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("\n## Personal access tokens\n"));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  expect(block, "README's PAT section has an sh block").toBeTruthy();
  const prose = section.slice(0, block!.index);
  const scopes = [...prose.matchAll(/`([a-z]+:[a-z]+)`/g)].map((match) => match[1]!).filter((scope) => scope in SCOPE_CATALOGUE);
  return { scopes: [...new Set(scopes)], script: block![1]! };
}

test("README's personal access token quick start works as written", async ({ request, baseURL }) => {
  const { scopes, script } = readQuickStart();
  expect(scopes.length, "the README names the scopes to tick").toBeGreaterThan(0);
  const curls = script.split("\n").filter((line) => line.startsWith("curl "));
  expect(curls).toHaveLength(4);

  const token = await readerPat(request, baseURL!, "readme-reader", scopes);
  const wrapped = `curl() { command curl -sS -o /dev/null -w '%{http_code}\\n' "$@"; }\n${script.replaceAll("http://localhost:3000", baseURL!)}`;
  const statuses = execFileSync("bash", ["-c", wrapped], { input: `${token}\n`, encoding: "utf8", timeout: 60_000 })
    .trim()
    .split("\n");
  // me, connections, tokens, then the token revokes itself.
  expect(statuses).toEqual(["200", "200", "200", "204"]);
  const after = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(after.status(), "the last command revoked the token").toBe(401);
});

/** A planted person's PAT, created the way the tokens page does (a same-origin session): what README's reader pastes. */
async function readerPat(request: APIRequestContext, baseURL: string, label: string, scopes: string[], role: "USER" | "ADMIN" = "USER"): Promise<string> {
  const person = await plantUser(label, role);
  return createPat(request, { cookie: person.cookie, origin: baseURL, "sec-fetch-site": "same-origin" }, { name: label, scopes, expiresInDays: 1 });
}

/** The first `sh` block after `heading` in README.md. */
function readmeBlock(heading: string): string {
  const readme = readFileSync("README.md", "utf8");
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `README has ${heading}`).toBeGreaterThanOrEqual(0);
  const section = readme.slice(start);
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  expect(block, `${heading} has an sh block`).toBeTruthy();
  return block![1]!;
}

/**
 * A README `sh` snippet in bash, as written but for the host, with `curl` wrapped to print each answer's status on
 * stderr (`%{stderr}`): the bodies, one per line, and anything piped (`jq`) are untouched.
 */
function runAsWritten(script: string, baseURL: string, env: Record<string, string>): { statuses: string[]; bodies: string[] } {
  const wrapped = `curl() { command curl -sS -w '\\n%{stderr}%{http_code}\\n' "$@"; }\n${script.replaceAll("http://localhost:3000", baseURL)}`;
  const result = spawnSync("bash", ["-c", wrapped], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
  expect(result.status, result.stderr).toBe(0);
  return { statuses: result.stderr.trim().split("\n"), bodies: result.stdout.split("\n").filter(Boolean) };
}

/*
 * README's provider API proxy example, run as written in bash against the e2e server and its demo IdP, the way a
 * reader runs it: the admin's curl first (its answer names the client id and secret the reader then sets), then the
 * service's lines with the person's id in place of `<userId>` (runAsWritten). In the demo,
 * GitHub's `GET /user` is played by the demo API (lib/idp/serve-demo-api.ts): with that path taken out of it, the
 * proxied call answers the demo API's 404 and this goes red (seen).
 */
test("README's provider API proxy example works as written", async ({ request, baseURL }) => {
  const lines = readmeBlock("### Provider API proxy").split("\n");
  const service = lines.findIndex((line) => line.startsWith("SAT="));
  expect(service, "the service's part starts by obtaining its token").toBeGreaterThan(0);
  const adminPart = lines.slice(0, service).join("\n");
  const servicePart = lines.slice(service).join("\n");
  expect(adminPart.match(/^curl /gm)).toHaveLength(1);
  expect(servicePart.match(/^curl /gm)).toHaveLength(2);

  const adminPat = await readerPat(request, baseURL!, "readme-proxy-admin", ["admin"], "ADMIN");
  // The person, connected to GitHub with real demo-IdP tokens, so the demo API accepts the one the proxy attaches.
  const github = await obtainDemoTokens("github", "readme-proxy-person", baseURL!);
  const person = await plantUser("readme-proxy-person", "USER", { providers: { github } });

  const created = runAsWritten(adminPart, baseURL!, { ADMIN_PAT: adminPat });
  expect(created.statuses).toEqual(["201"]);
  const client = JSON.parse(created.bodies.join("")) as { clientId: string; clientSecret: string };
  recordTestTokens(client.clientSecret);
  expect(client.clientId).toMatch(/^tsr_svc_/);

  const called = runAsWritten(servicePart.replaceAll("<userId>", person.userId), baseURL!, {
    CLIENT_ID: client.clientId,
    CLIENT_SECRET: client.clientSecret,
  });
  // The token (into jq), GitHub's /user for the person, then POST /echo, which this allow-list does not allow.
  expect(called.statuses).toEqual(["200", "200", "403"]);
  const [profile, refused] = called.bodies.map((body) => JSON.parse(body) as Record<string, unknown>);
  expect(profile).toMatchObject({ login: "readme-proxy-person", type: "User" });
  expect(refused).toMatchObject({ error: { code: "path_not_allowed" } });
  // The person's GitHub token went upstream and nowhere else.
  expect(called.bodies.join("\n")).not.toContain(github.access_token);
});

/*
 * README's token exchange example (### For services (OAuth 2.0)), run as written for a service the admin API created
 * and a person with a stored Google token: the answer is the one the README's `# 200` line shows, key for key, and
 * carries the person's stored access token (the one answer that may) and never a refresh token. Seen red with `scope`
 * taken out of the README's `# 200` line.
 */
test("README's token exchange example works as written", async ({ request, baseURL }) => {
  const block = readmeBlock("### For services (OAuth 2.0)");
  expect(block.match(/^curl /gm)).toHaveLength(1);
  const documented = JSON.parse(/^# 200 (\{.*\})$/m.exec(block)![1]!) as Record<string, unknown>;

  const service = await createServiceClientAsAdmin(request, baseURL!, ["credentials:google:read"]);
  const person = await plantUser("readme-exchange");
  const { statuses, bodies } = runAsWritten(block.replaceAll("<userId>", person.userId), baseURL!, {
    CLIENT_ID: service.clientId,
    CLIENT_SECRET: service.clientSecret,
  });
  expect(statuses).toEqual(["200"]);
  const answer = JSON.parse(bodies.join("")) as Record<string, unknown>;
  expect(Object.keys(answer).sort()).toEqual(Object.keys(documented).sort());
  expect(answer).toMatchObject({ access_token: person.values.access, issued_token_type: documented.issued_token_type, token_type: "Bearer" });
  expect(JSON.stringify(answer)).not.toContain(person.values.refresh);
});

/** The `curl` commands of a README snippet, each with its continuation lines; the reader's own steps (`export …`) are not. */
function curlCommands(block: string): string[] {
  const commands: string[] = [];
  let current: string[] | null = null;
  for (const line of block.split("\n")) {
    if (current) current.push(line);
    else if (line.startsWith("curl ")) current = [line];
    if (current && !line.endsWith("\\")) {
      commands.push(current.join("\n"));
      current = null;
    }
  }
  return commands;
}

/*
 * README's device flow for a CLI (### Pointing an MCP client or a CLI at Tessera), run as written: its three curls in
 * bash, with CLIENT_ID and DEVICE_CODE set from the answers as its `export` lines tell the reader to, and the person
 * approving at the verification_uri the answer names, in Chromium. The answers have the keys the snippet's comments
 * show, the first poll is pending, and the poll after the approval, an interval later as the snippet says, gets the
 * tokens, which work on the API. Seen red with `"interval"` taken out of the snippet's comment.
 */
test("README's device flow for a CLI works as written", async ({ browser, request, baseURL }) => {
  test.setTimeout(180_000);
  const block = readmeBlock("### Pointing an MCP client or a CLI at Tessera");
  const commands = curlCommands(block);
  expect(commands).toHaveLength(3);
  const [register, start, poll] = commands;
  const documentedKeys = (comment: RegExp) => Object.keys(JSON.parse(comment.exec(block)![1]!.replace(/\n#\s*/g, "")) as object).sort();
  const startKeys = documentedKeys(/^# (\{"device_code"[\s\S]*?\})$/m);
  const tokenKeys = documentedKeys(/^# (\{"access_token"[\s\S]*?\})$/m);

  const pat = await readerPat(request, baseURL!, "readme-device-developer", ["applications:write"]);
  const registered = runAsWritten(register!, baseURL!, { TESSERA_TOKEN: pat });
  expect(registered.statuses).toEqual(["201"]);
  const { clientId, name } = JSON.parse(registered.bodies.join("")) as { clientId: string; name: string };
  expect(clientId).toMatch(/^tsr_app_/);

  const started = runAsWritten(start!, baseURL!, { CLIENT_ID: clientId });
  expect(started.statuses).toEqual(["200"]);
  const device = JSON.parse(started.bodies.join("")) as { device_code: string; user_code: string; verification_uri: string; interval: number };
  recordTestTokens(device.device_code);
  expect(Object.keys(device).sort()).toEqual(startKeys);
  expect(device.verification_uri).toBe(`${baseURL}/device`);

  const pollNow = () => runAsWritten(poll!, baseURL!, { CLIENT_ID: clientId, DEVICE_CODE: device.device_code });
  const pending = pollNow();
  expect(pending.statuses).toEqual(["400"]);
  expect(JSON.parse(pending.bodies.join(""))).toMatchObject({ error: "authorization_pending" });
  const polledAt = Date.now();

  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(device.verification_uri);
    await page.getByRole("button", { name: "Continue with GitHub" }).click();
    await completeIdpLogin(page, "readme-device-person");
    await page.waitForURL((url) => url.pathname === "/device");
    await page.getByTestId("device-user-code").fill(device.user_code);
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("button", { name: `Authorize ${name}` }).click();
    await expect(page.getByTestId("notice")).toContainText("Device authorized");
  } finally {
    await context.close();
  }

  // "then every `interval` seconds": a poll sooner than that would be told to slow down (RFC 8628 §3.5).
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, polledAt + device.interval * 1000 + 500 - Date.now())));
  const granted = pollNow();
  expect(granted.statuses).toEqual(["200"]);
  const tokens = JSON.parse(granted.bodies.join("")) as { access_token: string; refresh_token: string; scope: string };
  recordTestTokens(tokens.access_token, tokens.refresh_token);
  expect(Object.keys(tokens).sort()).toEqual(tokenKeys);
  expect(tokens).toMatchObject({ token_type: "Bearer", scope: "profile:read" });
  const me = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${tokens.access_token}` } });
  expect(me.status()).toBe(200);
  expect(((await me.json()) as { application?: { clientId: string } }).application?.clientId).toBe(clientId);
});

/*
 * README's webhook example (## Webhooks), run as written with an admin's PAT: create (the answer the comment shows,
 * the secret once), list, then delete by the id the first answer gave, which the reader puts in place of `whk_…`.
 */
test("README's webhook example works as written", async ({ request, baseURL }) => {
  const block = readmeBlock("## Webhooks");
  const commands = curlCommands(block);
  expect(commands).toHaveLength(3);
  const [create, list, remove] = commands;
  const pat = await readerPat(request, baseURL!, "readme-webhooks-admin", ["admin"], "ADMIN");

  const created = runAsWritten(create!, baseURL!, { TESSERA_PAT: pat });
  expect(created.statuses).toEqual(["201"]);
  const endpoint = JSON.parse(created.bodies.join("")) as { id: string; secret: string };
  recordTestTokens(endpoint.secret);
  expect(endpoint).toMatchObject({ id: expect.stringMatching(/^whk_/), secret: expect.stringMatching(/^tsr_whsec_/) });

  const listed = runAsWritten(list!, baseURL!, { TESSERA_PAT: pat });
  expect(listed.statuses).toEqual(["200"]);
  expect(listed.bodies.join("")).toContain(endpoint.id);
  expect(listed.bodies.join("")).not.toContain(endpoint.secret);

  const removed = runAsWritten(remove!.replace("whk_…", endpoint.id), baseURL!, { TESSERA_PAT: pat });
  expect(removed.statuses).toEqual(["204"]);
  const after = runAsWritten(list!, baseURL!, { TESSERA_PAT: pat });
  expect(after.bodies.join("")).not.toContain(endpoint.id);
});
