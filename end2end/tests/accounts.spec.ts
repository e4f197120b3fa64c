import { test, expect } from "./fixtures";
import { PASSWORD, mailedLink, register, signIn, totp, uniqueEmail } from "./accounts";

test("sign up, confirm, sign in, turn on 2FA, sign out, sign in with a code", async ({ page }) => {
  const email = uniqueEmail("twofa");
  await register(page, email);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "Your account", exact: true })).toBeVisible();

  await page.goto("/account/security");
  // Setting it up asks for the password.
  await page.getByLabel("Current password").fill("not my password");
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(page.locator("#start-start_password-error")).toContainText("isn't your current password");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  const secret = (await page.locator(".totp-secret").innerText()).trim();
  await page.getByLabel("Code from your app").fill("000001");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.locator("#confirm-code-error")).toContainText("isn't valid");
  await page.getByLabel("Code from your app").fill(totp(secret));
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Turn on" }).click();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  await expect(page.getByRole("link", { name: "Download the codes" })).toHaveAttribute("download", "recovery-codes.txt");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("status")).toContainText("signed out");
  await signIn(page, email);
  await expect(page).toHaveURL(/\/account\/login\/code$/);
  // The code used to turn 2FA on was spent; the next window's code (or this one's, if the
  // clock moved on) works.
  await page.getByLabel("Code").fill(totp(secret, Date.now() + 30_000));
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("navigation", { name: "Your account" })).toContainText("Test Shopper");
});

test("a forgotten password is reset by mail, once", async ({ page }) => {
  const email = uniqueEmail("reset");
  await register(page, email);
  await page.goto("/account/forgot");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByRole("status")).toContainText("If that address has an account");
  const link = await mailedLink(email, "/account/reset");

  await page.goto(link);
  await page.getByLabel("New password").fill("password123");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.locator("#reset-password-error")).toContainText("stronger");
  const fresh = "velvet harbor ninety kites";
  await page.getByLabel("New password").fill(fresh);
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password was changed");

  await page.goto(link);
  await page.getByLabel("New password").fill("another quite long phrase");
  await page.getByRole("button", { name: "Save the new password" }).click();
  await expect(page.getByRole("alert")).toContainText("already used");

  await signIn(page, email, PASSWORD);
  await expect(page.locator("#login-password-error")).toContainText("don't match");
  await signIn(page, email, fresh);
  await expect(page).toHaveURL(/\/account$/);
});

test("the address book adds, checks, edits and deletes addresses", async ({ page }) => {
  const email = uniqueEmail("addresses");
  await register(page, email);
  await signIn(page, email);
  await page.goto("/account/addresses");
  // No address yet: the form is already open.
  const form = page.locator("details").filter({ hasText: "Add an address" });
  await form.getByLabel("Address", { exact: true }).fill("1 Main Street");
  await form.getByLabel("ZIP or postal code").fill("1234");
  await form.getByRole("button", { name: "Save address" }).click();
  // Every problem at once: a summary at the top, linked to each field, has the focus.
  const summary = page.getByRole("alert").filter({ hasText: "There are problems with 3 fields." });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole("link")).toHaveCount(3);
  await expect(page.locator("#save-country-error")).toContainText("Choose a country");
  await expect(page.locator("#save-full_name-error")).toContainText("Full name is required");
  await expect(page.locator("#save-city-error")).toContainText("City is required");
  const open = page.locator("details[open]");
  await expect(open.getByLabel("Address", { exact: true })).toHaveValue("1 Main Street");

  // The country decides what the state and the postal code must be.
  await open.getByLabel("Country", { exact: true }).selectOption("US");
  await open.getByLabel("Full name").fill("Jane Doe");
  await open.getByLabel("City").fill("Springfield");
  await open.getByRole("button", { name: "Save address" }).click();
  await expect(page.locator("#save-region-error")).toContainText("Choose the state");
  await expect(page.locator("#save-postal_code-error")).toContainText("ZIP code like 90001");
  await page.locator("details[open]").getByLabel("State or province").fill("Illinois");
  await page.locator("details[open]").getByLabel("ZIP or postal code").fill("62704");
  await page.locator("details[open]").getByRole("button", { name: "Save address" }).click();
  await expect(page.getByRole("status")).toContainText("The address was saved");
  const list = page.getByRole("list", { name: "Your addresses" });
  await expect(list).toContainText("1 Main Street");
  await expect(list).toContainText("Springfield, IL 62704");
  await expect(list).toContainText("Default shipping");

  await list.getByText("Edit").click();
  await list.getByLabel("City").fill("Shelbyville");
  await list.getByRole("button", { name: "Save address" }).click();
  await expect(list).toContainText("Shelbyville");

  // Deleting asks first, naming the address.
  await list.getByText("Delete", { exact: true }).click();
  await expect(list.getByText("Delete the address of Jane Doe?")).toBeVisible();
  await list.getByRole("button", { name: "Yes, delete this address" }).click();
  await expect(page.getByRole("status")).toContainText("deleted");
  await expect(list.getByRole("listitem")).toHaveCount(0);
});

test("protected areas send visitors to sign in and refuse customers", async ({ page }) => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/account\/login\?next=%2Fadmin/);
  const email = uniqueEmail("customer");
  await register(page, email);
  await signIn(page, email);
  // Anyone signed in may apply to sell; a shop's portal is for its members only.
  await page.goto("/vendor");
  await expect(page.getByRole("link", { name: "Apply to sell" })).toBeVisible();
  const shop = await page.goto("/vendor/north-star-outfitters");
  expect(shop?.status()).toBe(403);
  const admin = await page.goto("/admin");
  expect(admin?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
});
