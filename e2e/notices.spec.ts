import { expect, test } from "@playwright/test";
import { signIn } from "./support/app";

test("an admin action reports on the page it returns to, bad input included", async ({ browser }) => {
  const userContext = await browser.newContext();
  await signIn(await userContext.newPage(), "google", "nora");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, "google", "admin");
  await admin.goto("/admin/users?q=nora@");
  await admin.getByRole("link", { name: "nora@example.com" }).click();
  await admin.waitForURL(/\/admin\/users\/[^/?]+$/);
  const userPage = admin.url();

  // A form whose input was tampered with: the action sends the admin to the user list, which says so.
  // (Before withAction and <NoticeAlert>, the list got `?notice=invalid_input` and showed nothing: this failed.)
  const html = await (await admin.request.get(userPage)).text();
  const form = html.split("<form").find((chunk) => chunk.includes("End sessions") && chunk.includes("$ACTION_ID_"));
  const actionField = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(form ?? "")?.[1];
  expect(actionField).toBeTruthy();
  const tampered = await admin.request.post(userPage, { multipart: { [actionField!]: "", userId: "" }, maxRedirects: 0 });
  expect(tampered.status()).toBe(303);
  await admin.goto(tampered.headers()["location"]!);
  await expect(admin).toHaveURL(/\/admin\/users\?notice=invalid_input/);
  await expect(admin.getByTestId("notice")).toHaveText("That request was not valid. Nothing was changed.");

  // The same action, untampered, reports on the user's page.
  await admin.goto(userPage);
  await admin.getByRole("button", { name: "End sessions" }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "End sessions" }).click();
  await expect(admin.getByTestId("notice")).toHaveText("Ended 1 session: the user is signed out on their next request.");
  await expect(admin.getByTestId("active-sessions")).toHaveText("0");
  await userContext.close();
  await adminContext.close();
});
