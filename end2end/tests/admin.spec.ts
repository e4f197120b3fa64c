import { test, expect } from "./fixtures";
import { register, signIn, signInAsNewAdmin, uniqueEmail } from "./accounts";
import { checkOutAsGuest } from "./shopping";

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

test("a shopper reports a product; an operator hides it from the storefront and search, then reinstates it", async ({ browser, page }) => {
  // A signed-in shopper reports a product from its page.
  const shopper = uniqueEmail("reporter");
  const theirs = await browser.newContext();
  const phone = await theirs.newPage();
  await register(phone, shopper, "Rita Reporter");
  await signIn(phone, shopper);
  await phone.goto("/search?q=carpenter+jeans");
  const href = await phone.locator("a[href^='/p/']").first().getAttribute("href");
  await phone.goto(href!);
  const title = await phone.getByRole("heading", { level: 1 }).innerText();
  await phone.getByRole("link", { name: "Report this product" }).click();
  await phone.getByLabel("What is wrong").selectOption("counterfeit");
  await phone.getByLabel(/^Details/).fill("The label is fake");
  await phone.getByRole("button", { name: "Send the report" }).click();
  await expect(phone.locator(".notice")).toContainText("your report was sent");

  // The operator follows the overview's alert to the product and hides it, with a reason.
  await signInAsNewAdmin(page);
  await page.goto("/admin");
  await page.getByRole("link", { name: /reported by shoppers/ }).click();
  await page.getByRole("link", { name: title, exact: true }).first().click();
  await expect(page.getByRole("table").first()).toContainText("The label is fake");
  await page.getByText("Hide from the storefront", { exact: true }).click();
  await page.getByLabel(/^Why/).fill("Counterfeit goods");
  await page.getByRole("button", { name: "Yes, hide it" }).click();
  await expect(page.locator(".notice")).toContainText("hidden from the storefront");
  await expect(page.getByRole("table").last()).toContainText("Product hidden");

  // Shoppers can neither open it nor find it.
  expect((await phone.goto(href!))!.status()).toBe(404);
  await phone.goto(`/search?q=${encodeURIComponent(title)}`);
  await expect(phone.locator(`a[href='${href}']`)).toHaveCount(0);

  // Reinstated, it is back.
  await page.getByRole("button", { name: "Reinstate" }).click();
  await expect(page.locator(".notice")).toContainText("reinstated");
  expect((await phone.goto(href!))!.status()).toBe(200);
  await theirs.close();
});

test("an operator refunds part of a paid order from its page, and the log and the shop's payouts say so", async ({ browser, page }, info) => {
  test.setTimeout(60_000);
  // A guest buys one thing (not a product the other specs hide or buy) and pays.
  const theirs = await browser.newContext();
  const phone = await theirs.newPage();
  await phone.goto("/v/hearth-and-home?in_stock=1");
  const products = phone.getByRole("list", { name: /^Products from/ }).getByRole("article");
  await products.nth(info.project.name === "js" ? 2 : 3).getByRole("link").first().click();
  await phone.getByRole("button", { name: "Add to cart" }).click();
  await expect(phone).toHaveURL(/\/cart\?notice=added$/);
  const number = await checkOutAsGuest(phone, uniqueEmail("refunded"));

  await signInAsNewAdmin(page);
  await page.goto("/admin/orders");
  await page.getByLabel("Number, email or shop").fill(number);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: `#${number}` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Order #${number}`);

  // The refund asks for an amount and a reason, behind a confirmation.
  const refund = page.getByText(/^Refund from /).first();
  const shop = (await refund.innerText()).replace(/^Refund from /, "").replace(/…$/, "");
  await refund.click();
  await page.getByLabel("Amount").fill("1.00");
  await page.getByLabel("Why").fill("Box arrived dented");
  await page.getByRole("button", { name: "Refund", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Order #${number} refunded.`);
  await expect(page.getByRole("region", { name: "Refunds" }).last()).toContainText("Box arrived dented");
  await expect(page.getByRole("table").last()).toContainText("Order refunded");

  // The shop's payouts page lists the refund in its ledger, with the balance after it.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Payouts" }).click();
  await page.getByRole("searchbox", { name: "Shop" }).fill(shop);
  await page.getByRole("button", { name: "Show" }).click();
  await page.getByRole("link", { name: shop, exact: true }).click();
  await expect(page.getByRole("region", { name: "Ledger" }).last()).toContainText("Refund to the shopper");
  await expect(page.getByRole("region", { name: "Ledger" }).last()).toContainText(`#${number}`);
  await theirs.close();
});

test("the settings form shows every problem at once and saves nothing", async ({ page }) => {
  await signInAsNewAdmin(page);
  await page.goto("/admin/settings");
  const commission = page.getByLabel("Default commission (%)");
  const before = await commission.inputValue();
  await commission.fill("150");
  await page.getByLabel("Minutes an unpaid order holds its stock").fill("0");
  await page.getByLabel("Days a sale waits before it is paid out").fill("400");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("There are problems with 3 fields.")).toBeVisible();
  await page.goto("/admin/settings");
  await expect(page.getByLabel("Default commission (%)")).toHaveValue(before);
});
