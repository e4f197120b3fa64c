import { type Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { signInAsNewAdmin, uniqueEmail } from "./accounts";
import { checkOutAsGuest } from "./shopping";

/** Today's figure `label` on the console's overview, as a number. */
async function figure(page: Page, label: string): Promise<number> {
  const value = page
    .locator(".figures > div")
    .filter({ has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) })
    .locator("dd");
  const text = await value.evaluate((dd) => dd.firstChild?.textContent ?? "");
  return Number(text.replace(/[^0-9.]/g, ""));
}

test("the overview counts the orders a shopper just paid, and the report download lists them with the totals the shopper saw", async ({ browser, page }, info) => {
  test.setTimeout(150_000);
  await signInAsNewAdmin(page);
  await page.goto("/admin?period=today");
  const before = await figure(page, "Orders");

  // A guest pays an order (from a shop whose products no other spec hides) and notes its total.
  const theirs = await browser.newContext();
  const phone = await theirs.newPage();
  await phone.goto("/v/hearth-and-home?in_stock=1");
  const products = phone.getByRole("list", { name: /^Products from/ }).getByRole("article");
  await products.nth(info.project.name === "js" ? 6 : 7).getByRole("link").first().click();
  await phone.getByRole("button", { name: "Add to cart" }).click();
  await expect(phone).toHaveURL(/\/cart\?notice=added$/);
  const number = await checkOutAsGuest(phone, uniqueEmail("overview"));
  const paid = await phone.getByRole("complementary", { name: "Order total" }).locator("dd.grand").innerText();
  await theirs.close();

  // The rollup runs every minute: the overview counts the order within one.
  await expect
    .poll(async () => {
      await page.reload();
      return figure(page, "Orders");
    }, { timeout: 100_000, intervals: [5_000] })
    .toBeGreaterThanOrEqual(before + 1);

  // Today's paid orders, downloaded from the reports page, list it with what the shopper paid.
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Reports" }).click();
  const link = page.getByRole("link", { name: "Paid orders" });
  const href = await link.getAttribute("href");
  const today = new Date().toISOString().slice(0, 10);
  const report = await page.request.get(href!.replace(/from=[^&]*/, `from=${today}`).replace(/to=[^&]*/, `to=${today}`));
  expect(report.status()).toBe(200);
  expect(report.headers()["content-type"]).toContain("text/csv");
  const lines = (await report.text()).trim().split("\n");
  expect(lines[0]).toContain("order");
  const row = lines.find((line) => line.startsWith(`${number},`));
  expect(row, `order ${number} in the report`).toBeTruthy();
  const cells = row!.split(",");
  const header = lines[0].split(",");
  expect(Number(cells[header.indexOf("total")])).toBe(Number(paid.replace(/[^0-9.]/g, "")));
});
