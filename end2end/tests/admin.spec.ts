import { test, expect } from "./fixtures";
import { register, signIn, signInAsNewAdmin, uniqueEmail } from "./accounts";

test("an operator finds a shopper, disables the account (signed out at once), and the log says so", async ({ browser, page }) => {
  // A shopper, signed in in a browser of their own.
  const shopper = uniqueEmail("rosa");
  const theirs = await browser.newContext();
  const phone = await theirs.newPage();
  await register(phone, shopper, "Rosa Shopper");
  await signIn(phone, shopper);
  await phone.goto("/account");
  await expect(phone).toHaveURL(/\/account$/);

  await signInAsNewAdmin(page);
  await page.goto("/admin");
  const menu = page.getByRole("navigation", { name: "Admin" });
  await menu.getByRole("link", { name: "People" }).click();
  await page.getByLabel("Email or name").fill(shopper);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("status")).toHaveText("1 person");
  await page.getByRole("link", { name: shopper }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(shopper);

  // Disabling asks for a reason, behind a confirmation.
  await page.getByText("Disable the account", { exact: true }).click();
  await page.getByLabel(/^Why/).fill("Reported for fraud");
  await page.getByRole("button", { name: "Yes, disable the account" }).click();
  await expect(page.getByRole("status")).toContainText("disabled and signed out everywhere");
  await expect(page.getByText("Disabled since")).toBeVisible();
  await expect(page.getByRole("table").last()).toContainText("Account disabled");

  // The shopper's browser is signed out, and signing in is refused.
  await phone.goto("/account");
  await expect(phone).toHaveURL(/\/account\/login/);
  await signIn(phone, shopper);
  await expect(phone.locator("#login-email-error")).toContainText("This account is disabled");

  // The audit log has it, found by the operator's action.
  await menu.getByRole("link", { name: "Audit log" }).click();
  await page.getByLabel("What").selectOption({ label: "Account disabled" });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("table")).toContainText("Reported for fraud");
  await theirs.close();
});
