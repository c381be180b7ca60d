import { appendFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

/*
 * Every secret value that exists during an e2e run is recorded at its source, so the log scan
 * (log-scan.spec.ts, run after every other spec) can search the app's log for all of them:
 * - the demo IdP appends every token it issues to DEMO_IDP_ISSUED_TOKENS_FILE (set in playwright.config.ts);
 * - the specs append every PAT they create and every value they plant to TEST_TOKENS_FILE, through the
 *   helpers below.
 * Both files are deleted when the web server starts (playwright.config.ts).
 */
export const IDP_ISSUED_TOKENS_FILE = path.resolve(".data/e2e-idp-issued-tokens.txt");
export const TEST_TOKENS_FILE = path.resolve(".data/e2e-test-tokens.txt");
/** Written by guard.spec.ts, read by log-scan.spec.ts: what the positive control must find in the app log. */
export const LOG_CONTROL_FILE = path.resolve(".data/e2e-log-control.json");

export function recordTestTokens(...values: string[]): void {
  const real = values.filter((value) => value.length > 0);
  if (real.length) appendFileSync(TEST_TOKENS_FILE, real.map((value) => `${value}\n`).join(""), { mode: 0o600 });
}

function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter(Boolean);
}

export function readIdpIssuedTokens(): string[] {
  return readLines(IDP_ISSUED_TOKENS_FILE);
}

/** Every value issued or planted so far in this run (replaced and revoked ones included). */
export function readAllIssuedTokens(): string[] {
  return [...new Set([...readIdpIssuedTokens(), ...readLines(TEST_TOKENS_FILE)])];
}

/** For assertion messages: never a full token value. */
export function prefixOf(value: string): string {
  return `${value.slice(0, 8)}…`;
}

/**
 * A distinctive 12-character piece of a value: its last 12 characters (the random part of every token
 * here: an opaque token's tail, a JWT's signature, a PAT's secret, a planted value's random tail).
 */
export function distinctivePiece(value: string): string {
  return value.slice(-12);
}

/** POST /api/tokens, recording the new token's value. */
export async function createPat(
  request: APIRequestContext,
  headers: Record<string, string>,
  body: { name: string; scopes: string[]; expiresInDays?: number },
): Promise<string> {
  const created = await request.post("/api/tokens", { headers, data: body });
  expect(created.status()).toBe(201);
  const token = (await created.json()).token as string;
  recordTestTokens(token);
  return token;
}

/** Reads the one-time token value the tokens page shows after "Create token", recording it. */
export async function readShownPat(page: Page): Promise<string> {
  const shown = page.getByTestId("new-token-value");
  await expect(shown).toBeVisible();
  const token = (await shown.textContent())!.trim();
  recordTestTokens(token);
  return token;
}

/** The value with its last character changed: a near miss that must be refused (never equal, whatever it ended with). */
export function spoiled(value: string): string {
  return value.slice(0, -1) + (value.endsWith("x") ? "y" : "x");
}
