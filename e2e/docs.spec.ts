import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { plantUser, signIn } from "./support/app";
import { createPat, readShownPat } from "./support/issued-tokens";

/*
 * The API reference in Chromium: public, linked from the header and the token-created panel, rendered
 * on the server from /api/openapi.json (every operation, nothing from another origin, no CSP
 * violation), and its curl examples work when pasted into a shell.
 */
test("the API reference: public, from the header, one card per documented operation, nothing external", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const external: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).origin !== origin) external.push(request.url());
  });
  const consoleLines: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) consoleLines.push(message.text());
  });

  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API" }).click();
  await page.waitForURL("**/docs");
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Getting started with a personal access token" })).toBeVisible();
  await expect(page.getByTestId("getting-started-curl")).toContainText(`curl -H "Authorization: Bearer $TESSERA_TOKEN" ${origin}/api/v1/me`);

  const document = await (await page.request.get("/api/openapi.json")).json();
  const operations = Object.values(document.paths as Record<string, Record<string, unknown>>).flatMap((item) => Object.keys(item));
  await expect(page.getByTestId("endpoint")).toHaveCount(operations.length);
  const me = page.locator("#get-api-v1-me");
  await expect(me.getByTestId("endpoint-access")).toContainText("scope profile:read");
  for (const example of await page.getByTestId("curl-example").allTextContents()) expect(example).toContain(`"${origin}/`);

  await page.waitForLoadState("networkidle");
  expect(external, "requests to other origins").toEqual([]);
  expect(consoleLines).toEqual([]);
});

test("the token-created panel links to the reference, whose curl example works as pasted", async ({ page }) => {
  await signIn(page, "github", "docs-user");
  await page.goto("/settings/tokens");
  await page.getByRole("textbox", { name: "Name" }).fill("docs example");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await readShownPat(page);
  await page.getByTestId("new-token-docs-link").click();
  await page.waitForURL("**/docs");

  const curl = (await page.locator("#get-api-v1-me").getByTestId("curl-example").textContent())!;
  const output = execFileSync("sh", ["-c", `${curl} --silent --show-error`], { env: { ...process.env, TESSERA_TOKEN: token }, encoding: "utf8" });
  expect(JSON.parse(output)).toMatchObject({ email: "docs-user@example.com", token: { name: "docs example" } });
});

/*
 * Issue 25 (proof): /docs' own quick start, as a reader copies it. Every command block of "Getting started with a
 * personal access token", in order, runs verbatim in bash; the token (created with the default scope, as step 1 says)
 * is what the person pastes at the `read` prompt. Nothing is swapped: the page prints this server's own address.
 */
test("/docs' getting-started commands work as shown, verbatim", async ({ page, request, baseURL }) => {
  await page.goto("/docs");
  const commands = await page.locator('[aria-labelledby="getting-started"] ol pre').allTextContents();
  expect(commands.length, "the steps show a read line and a curl").toBe(2);
  expect(commands.join("\n")).not.toContain("tsr_");

  const person = await plantUser("docs-quick-start");
  const token = await createPat(
    request,
    { cookie: person.cookie, origin: baseURL!, "sec-fetch-site": "same-origin" },
    { name: "docs quick start", scopes: ["profile:read"], expiresInDays: 1 },
  );
  // curl prints its progress meter on stderr when its output is not a terminal: kept out of the test log.
  const output = execFileSync("bash", ["-c", commands.join("\n")], { input: `${token}\n`, encoding: "utf8", timeout: 30_000, stdio: "pipe" });
  expect(JSON.parse(output)).toMatchObject({ email: person.email, token: { name: "docs quick start" } });
});
