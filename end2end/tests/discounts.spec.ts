import { test, expect } from "./fixtures";
import { signInAsNewAdmin, uniqueEmail } from "./accounts";
import { fillAddress } from "./shopping";

test("an operator makes a code; a shopper applies it at checkout, a wrong one says why, and the order, the code's count and the log say so", async ({ browser, page }, info) => {
  test.setTimeout(90_000);
  const code = `TAKE5-${info.project.name.toUpperCase()}-${Date.now() % 100_000}`;
  await signInAsNewAdmin(page);
  await page.goto("/admin/discounts");
  await page.getByLabel("Code shoppers type").fill(code.toLowerCase());
  await page.getByLabel("Kind").selectOption("fixed");
  await page.getByLabel("Percentage or amount").fill("5.00");
  await page.getByLabel("Uses in total").fill("3");
  await page.getByRole("button", { name: "Create the code" }).click();
  await expect(page.locator(".notice")).toContainText("The code was created");
  await expect(page.getByRole("row").filter({ hasText: code })).toContainText("0 of 3");

  // A guest buys one thing (from a shop whose products no other spec hides).
  const theirs = await browser.newContext();
  const phone = await theirs.newPage();
  await phone.goto("/v/hearth-and-home?in_stock=1");
  const products = phone.getByRole("list", { name: /^Products from/ }).getByRole("article");
  await products.nth(info.project.name === "js" ? 4 : 5).getByRole("link").first().click();
  await phone.getByRole("button", { name: "Add to cart" }).click();
  await expect(phone).toHaveURL(/\/cart\?notice=added$/);
  await phone.getByRole("link", { name: "Check out" }).click();
  await phone.getByLabel("Email").fill(uniqueEmail("discount"));
  await fillAddress(phone);
  await phone.getByRole("button", { name: "Review order" }).click();
  const total = phone.getByRole("complementary", { name: "Order total" });
  const before = await total.locator("dd.grand").innerText();

  await phone.getByLabel("Discount code").fill("NO-SUCH-CODE");
  await phone.getByRole("button", { name: "Apply" }).click();
  await expect(phone.getByText("There is no discount code NO-SUCH-CODE.")).toBeVisible();
  await phone.getByLabel("Discount code").fill(code);
  await phone.getByRole("button", { name: "Apply" }).click();
  await expect(phone.getByRole("region", { name: "Discount" })).toContainText(`${code}: $5.00 off`);
  await expect(total).toContainText(`Discount ${code}`);
  await expect(total.locator("dd.grand")).not.toHaveText(before);

  await phone.getByRole("button", { name: /^Place order and pay/ }).click();
  await phone.getByRole("button", { name: /test: succeeds/ }).click();
  await expect(phone).toHaveURL(/\/orders\/\d+\?notice=paid$/);
  await expect(phone.getByRole("complementary", { name: "Order total" })).toContainText(`Discount ${code}`);
  await theirs.close();

  // The code counts the order; disabled, it says so; the log has both.
  await page.goto("/admin/discounts");
  const row = page.getByRole("row").filter({ hasText: code });
  await expect(row).toContainText("1 of 3");
  await row.getByRole("button", { name: `Disable ${code}` }).click();
  await expect(page.locator(".notice")).toContainText("The code is disabled");
  await expect(page.getByRole("row").filter({ hasText: code })).toContainText("Disabled");
  await page.goto("/admin/audit");
  await page.getByLabel("What").selectOption({ label: "Discount code disabled" });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("table")).toContainText(code);
});
