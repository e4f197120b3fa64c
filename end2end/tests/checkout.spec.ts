import { type Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { register, signIn, uniqueEmail } from "./accounts";
import { fillAddress } from "./shopping";

/** Opens the `nth` in-stock product of a demo shop and adds one to the cart. */
async function addFromShop(page: Page, shop: string, nth: number) {
  await page.goto(`/v/${shop}?in_stock=1`);
  await page.getByRole("list", { name: /^Products from/ }).getByRole("article").nth(nth).getByRole("link").first().click();
  await expect(page.getByRole("button", { name: "Add to cart" })).toBeEnabled();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page).toHaveURL(/\/cart\?notice=added$/);
  await expect(page.getByRole("status")).toContainText("Added to your cart");
}

/** The order number in the URL of an order or pay page. */
function orderNumber(page: Page): string {
  return page.url().match(/\/(?:orders|checkout\/pay)\/(\d+)/)![1];
}

test("a guest buys from two shops, is declined, pays, and finds the order again", async ({ page, context }, info) => {
  const nth = info.project.name === "js" ? 0 : 1;
  await addFromShop(page, "north-star-outfitters", nth);
  await addFromShop(page, "sonic-grove", nth);
  await expect(page.getByRole("link", { name: "Cart, 2 items" })).toBeVisible();
  await expect(page.getByRole("region", { name: /^From / })).toHaveCount(2);

  await page.getByRole("link", { name: "Check out" }).click();
  const email = uniqueEmail("guest");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Review order" }).click();
  await expect(page.locator("#details-country-error")).toContainText("Choose a country");
  await expect(page.getByLabel("Email")).toHaveValue(email);
  await fillAddress(page);
  await page.getByRole("button", { name: "Review order" }).click();
  await expect(page).toHaveURL(/\/checkout\/review$/);
  await expect(page.getByRole("complementary", { name: "Order total" })).toContainText("California sales tax 7.25%");

  await page.getByRole("button", { name: /^Place order and pay/ }).click();
  await expect(page).toHaveURL(/\/checkout\/pay\/\d+$/);
  await expect(page.getByText("no money moves")).toBeVisible();
  // Demo mode says so on every page.
  await expect(page.getByRole("note")).toContainText("Demo marketplace");
  await page.getByRole("button", { name: /^Decline/ }).click();
  await expect(page).toHaveURL(/\/checkout\/review\?notice=declined$/);
  await expect(page.getByRole("alert")).toContainText("declined");

  await page.getByRole("button", { name: /^Place order and pay/ }).click();
  await page.getByRole("button", { name: /test: succeeds/ }).click();
  await expect(page).toHaveURL(/\/orders\/\d+\?notice=paid$/);
  await expect(page.getByRole("status")).toContainText("Thank you!");
  await expect(page.getByRole("region", { name: /^From / })).toHaveCount(2);
  await expect(page.getByRole("region", { name: /^From / }).getByText("Status: Being prepared")).toHaveCount(2);
  await expect(page.getByRole("link", { name: "Cart, empty" })).toBeVisible();
  const number = orderNumber(page);

  // Another day, another browser session: found by number and email only.
  await context.clearCookies();
  await page.goto(`/orders/${number}`);
  await expect(page.getByRole("heading", { name: `Order #${number}` })).toHaveCount(0);
  await page.goto(`/orders/lookup?number=${number}`);
  await page.getByLabel("Email used for the order").fill("someone-else@example.com");
  await page.getByRole("button", { name: "Find order" }).click();
  await expect(page.getByRole("alert")).toContainText("couldn't find");
  await page.getByLabel("Email used for the order").fill(email);
  await page.getByRole("button", { name: "Find order" }).click();
  await expect(page.getByRole("heading", { name: `Order #${number}` })).toBeVisible();
  await expect(page.getByText("Status: Paid")).toBeVisible();
});

test("signing in merges the guest cart, and a saved address checks out fast", async ({ page }, info) => {
  // Signs up, confirms, signs in, shops and checks out twice: a long walk on a busy machine.
  test.setTimeout(90_000);
  const nth = info.project.name === "js" ? 2 : 3;
  const email = uniqueEmail("buyer");
  await register(page, email);
  await signIn(page, email);
  await page.goto("/account/addresses");
  // No address yet: the form is already open.
  await fillAddress(page);
  await page.getByLabel("Default shipping address").check();
  await page.getByRole("button", { name: "Save address" }).click();
  await expect(page.getByRole("status")).toContainText("saved");
  await addFromShop(page, "volt-and-wire", nth);
  await page.goto("/account");
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("signed out");

  // As a guest on this device, then signing in: both carts become one.
  await addFromShop(page, "hearth-and-home", nth);
  await signIn(page, email);
  await page.goto("/cart");
  await expect(page.getByRole("status").filter({ hasText: "from before you signed in" })).toBeVisible();
  await expect(page.getByRole("region", { name: /^From / })).toHaveCount(2);

  await page.getByRole("link", { name: "Check out" }).click();
  await expect(page.getByText(`Ordering as ${email}`)).toBeVisible();
  await expect(page.getByRole("radio", { name: /Ada Shopper, 1 Main Street, Los Angeles, CA 90001/ })).toBeChecked();
  // A saved address is chosen: the new-address fields step aside.
  await expect(page.getByLabel("City")).toBeHidden();
  await expect(page.getByRole("complementary", { name: "Order summary" })).toBeVisible();
  await page.getByRole("button", { name: "Review order" }).click();
  // Declined once, then paid: the history lists one order, not the failed attempt too.
  await page.getByRole("button", { name: /^Place order and pay/ }).click();
  await page.getByRole("button", { name: /^Decline/ }).click();
  await expect(page.getByRole("alert")).toContainText("declined");
  await page.getByRole("button", { name: /^Place order and pay/ }).click();
  await page.getByRole("button", { name: /test: succeeds/ }).click();
  await expect(page.getByRole("status")).toContainText("Thank you!");
  const number = orderNumber(page);
  await page.goto("/account/orders");
  await expect(page.getByRole("link", { name: `#${number}` })).toBeVisible();
  await expect(page.getByRole("link", { name: /^#\d+$/ })).toHaveCount(1);
});
