import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { SCOPE_CATALOGUE } from "../lib/pat/scopes";
import { plantUser } from "./support/app";
import { createPat } from "./support/issued-tokens";

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

  const person = await plantUser("readme-reader");
  const token = await createPat(
    request,
    { cookie: person.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" },
    { name: "readme quick start", scopes, expiresInDays: 1 },
  );
  const wrapped = `curl() { command curl -sS -o /dev/null -w '%{http_code}\\n' "$@"; }\n${script.replaceAll("http://localhost:3000", baseURL!)}`;
  const statuses = execFileSync("bash", ["-c", wrapped], { input: `${token}\n`, encoding: "utf8", timeout: 60_000 })
    .trim()
    .split("\n");
  // me, connections, tokens, then the token revokes itself.
  expect(statuses).toEqual(["200", "200", "200", "204"]);
  const after = await request.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(after.status(), "the last command revoked the token").toBe(401);
});
