import { existsSync, readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { distinctivePiece, LOG_CONTROL_FILE, prefixOf, readAllIssuedTokens, readIdpIssuedTokens } from "./support/issued-tokens";

/*
 * Runs once, after every other spec (the "log-scan" project depends on "chromium", see
 * playwright.config.ts): by then every sign-in, refresh, handout, disconnect and revoke-all of the run
 * has been logged. The app's own output (pino JSON lines and whatever else it printed) is in
 * TESSERA_LOG_FILE; it must not contain any token value issued during the run — by the demo IdP
 * (recorded as it issued them, replaced and revoked ones included), planted by a spec, or a PAT a spec
 * created — whole, or its distinctive last 12 characters.
 *
 * Mutation check (done once, red, restored): in lib/provider-tokens/refresh-outcomes.ts (then get-fresh-access-token.ts)
 * saveRefreshed(), logging the refreshed token under a key the redaction does not know
 * (`logger.info({ provider, value: tokens.accessToken }, "refreshed")`) fails this test.
 */
const APP_LOG = ".data/e2e-app.log";

type PinoLine = { app?: string; msg?: string; level?: number } & Record<string, unknown>;

function pinoLines(log: string): PinoLine[] {
  return log.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      const parsed = JSON.parse(line) as PinoLine;
      return parsed.app === "tessera" ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

/** Where `value` (or its 12-character piece) occurs in the log: the line number, never the value. */
function findInLog(lines: string[], value: string): string | null {
  const piece = distinctivePiece(value);
  const index = lines.findIndex((line) => line.includes(piece));
  if (index === -1) return null;
  return `${lines[index]!.includes(value) ? "whole value" : "12-character piece"} on log line ${index + 1}`;
}

test("the app log holds no token value issued during the run", () => {
  const log = readFileSync(APP_LOG, "utf8");
  const lines = log.split("\n");

  // Positive control: the scan reads the app's pino output, including the line guard.spec.ts made the
  // app write (a refresh-unavailable warning for its user), and the same search finds that user's id.
  expect(existsSync(LOG_CONTROL_FILE), "guard.spec.ts ran and left its control").toBe(true);
  const control = JSON.parse(readFileSync(LOG_CONTROL_FILE, "utf8")) as { userId: string; provider: string; msg: string };
  const pino = pinoLines(log);
  expect(pino.length, "pino JSON lines in the app log").toBeGreaterThan(0);
  expect(
    pino.some((line) => line.msg === control.msg && line.userId === control.userId && line.provider === control.provider),
    `the app's pino line "${control.msg}" for ${control.userId}`,
  ).toBe(true);
  expect(findInLog(lines, control.userId), "the search finds a value the app did log").not.toBeNull();

  // The values: every token the demo IdP issued (sign-ins, code flows and refreshes of every spec),
  // every value planted, every PAT created.
  const issuedByIdp = readIdpIssuedTokens();
  const values = readAllIssuedTokens();
  expect(issuedByIdp.length, "tokens the demo IdP issued during the run").toBeGreaterThan(20);
  expect(
    values.some((value) => value.startsWith("tsr_pat_")),
    "PATs the specs created",
  ).toBe(true);
  expect(
    values.some((value) => value.startsWith("PLANTED-")),
    "values the specs planted",
  ).toBe(true);

  const leaks: string[] = [];
  for (const value of values) {
    expect(value.length, `${prefixOf(value)} is long enough for a distinctive 12-character piece`).toBeGreaterThanOrEqual(24);
    const found = findInLog(lines, value);
    if (found) leaks.push(`${prefixOf(value)}: ${found}`);
  }
  expect(leaks, "token values in the app log").toEqual([]);
});
