import { type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { test, expect } from "./fixtures";
import { register, signIn, signInAsNewAdmin, uniqueEmail } from "./accounts";
import { checkOutAsGuest } from "./shopping";

/** A word no demo product has, so search finds exactly our product. */
function uniqueWord(): string {
  return Array.from(randomBytes(7), (b) => "bcdfghjklmnpqrstvwxz"[b % 20]).join("");
}

/** Signs in as the demo shop owner (see README) and returns the slug of their first shop. */
async function signInAsDemoOwner(page: Page): Promise<string> {
  await signIn(page, "owner@example.com", "demo-market-2026");
  await page.goto("/vendor");
  await page.getByRole("list", { name: "Your shops" }).getByRole("link").first().click();
  return new URL(page.url()).pathname.split("/")[2];
}

/** "$1,234.56" → 123456 */
function cents(text: string): number {
  return Math.round(parseFloat(text.replace(/[^0-9.]/g, "")) * 100);
}

function dollars(minor: number): string {
  return `$${(minor / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;
}

test("apply, get approved, sell a product with options and an image, ship it, see the balance", async ({ page, context }) => {
  test.setTimeout(180_000);
  const word = uniqueWord();
  const shop = `clay-${word}`;
  const shopName = `Clay Works ${word}`;

  // A signed-in user applies.
  const maker = uniqueEmail("maker");
  await register(page, maker, "Mara Maker");
  await signIn(page, maker);
  await page.goto("/vendor");
  await page.getByRole("link", { name: "Apply to sell" }).click();
  await page.getByLabel("Shop name").fill(shopName);
  await page.getByLabel("Shop address").fill("Not A Slug!");
  await page.getByLabel("What you sell").fill("Hand-thrown stoneware.");
  await page.getByLabel("Country (two letters, e.g. US)").fill("US");
  await page.getByRole("button", { name: "Send the application" }).click();
  await expect(page.locator("#apply-slug-error")).toContainText("lower-case");
  await page.getByLabel("Shop address").fill(shop);
  await page.getByRole("button", { name: "Send the application" }).click();
  await expect(page).toHaveURL(new RegExp(`/vendor/${shop}\\?notice=applied$`));
  await expect(page.getByText("Waiting for approval.")).toBeVisible();
  // Its logo, the application's next step, shown to the team with it.
  const icon = fs.readFileSync(path.resolve(__dirname, "../../public/icons/icon-512.png"));
  await page.getByLabel(/^Logo \(square JPEG/).setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: icon });
  await page.getByRole("button", { name: "Upload logo" }).click();
  await expect(page.getByText("The shop's logo was saved.")).toBeVisible();

  // Platform staff approve it.
  await context.clearCookies();
  await signInAsNewAdmin(page);
  await page.goto("/admin/vendors?status=pending");
  const card = page.getByRole("article", { name: new RegExp(shopName) });
  await expect(card.locator("img.shop-logo")).toBeVisible();
  await card.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("status")).toContainText("Saved");
  await page.goto("/admin/vendors?status=approved");
  await expect(page.getByRole("article", { name: new RegExp(shopName) })).toContainText("Approved");

  // The vendor adds a product with two options and an image.
  await context.clearCookies();
  await signIn(page, maker);
  await page.goto(`/vendor/${shop}`);
  await expect(page.getByText("Waiting for approval")).toHaveCount(0);
  await page.getByRole("navigation", { name: "Shop" }).getByRole("link", { name: "Products" }).click();
  await page.getByRole("link", { name: "Add a product" }).click();
  const title = `${word} Ash Glaze Mug`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill("Holds 350 ml. Dishwasher safe.");
  await page.getByLabel("Category").selectOption({ index: 1 });
  await page.getByLabel("Status").selectOption("active");
  await page.getByLabel("Price of new variants").fill("30.00");
  await page.getByLabel("Option 1 name").fill("Size");
  await page.locator('input[name="option.0.values"]').fill("Small, Large");
  await page.getByLabel("Option 2 name").fill("Glaze");
  await page.locator('input[name="option.1.values"]').fill("Ash, Moss");
  // Its first image is chosen with it, before the product exists.
  await page.getByLabel(/^Images \(JPEG, PNG or WebP/).setInputFiles({ name: "front.png", mimeType: "image/png", buffer: icon });
  await page.getByRole("button", { name: "Save product" }).click();
  await expect(page.getByRole("status")).toContainText("The product was saved");
  await expect(page.getByRole("img", { name: title })).toBeVisible();
  const variants = page.getByRole("table", { name: "Variants" }).getByRole("row");
  await expect(variants).toHaveCount(5);
  for (const key of ["Small / Ash", "Small / Moss", "Large / Ash", "Large / Moss"]) {
    await page.getByLabel(`Stock of ${key}`).fill("4");
  }
  await page.getByLabel("Price of Large / Moss").fill("34.00");
  await page.getByRole("button", { name: "Save product" }).click();
  await expect(page.getByRole("status")).toContainText("The product was saved");
  await expect(page.getByLabel("Stock of Large / Moss")).toHaveValue("4");

  await page.getByLabel(/^Image \(JPEG, PNG or WebP/).setInputFiles({ name: "mug.png", mimeType: "image/png", buffer: icon });
  await page.getByLabel("Description for screen readers (alt text)").fill(`${word} mug in moss glaze`);
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByRole("status")).toContainText("The image was added");
  await expect(page.getByRole("img", { name: `${word} mug in moss glaze` })).toBeVisible();
  await page.getByRole("link", { name: "See it in the shop" }).click();
  const productPath = new URL(page.url()).pathname;

  // It is on the storefront and in search.
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByRole("img", { name: title }).first()).toBeVisible();
  await page.goto(`/search?q=${word}`);
  await expect(page.locator(`a[href="${productPath}"]`).first()).toBeVisible();

  // A shopper buys the large moss mug.
  await context.clearCookies();
  await page.goto(productPath);
  await page.getByRole("link", { name: "Size: Large" }).click();
  await page.getByRole("link", { name: "Glaze: Moss" }).click();
  await expect(page.getByRole("region", { name: "Price and availability" })).toContainText("$34.00");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page).toHaveURL(/\/cart\?notice=added$/);
  const shopper = uniqueEmail("mugfan");
  const number = await checkOutAsGuest(page, shopper);

  // The vendor ships it with tracking.
  await context.clearCookies();
  await signIn(page, maker);
  await page.goto(`/vendor/${shop}/orders/${number}`);
  const part = page.getByRole("article", { name: new RegExp(`Order #${number}`) });
  await expect(part).toContainText("Large / Moss");
  await expect(part).toContainText("Los Angeles");
  const total = cents((await part.locator("p.muted").innerText()).split("total ")[1]);
  // Shipped from the list, ticked with its tracking number.
  await page.goto(`/vendor/${shop}/orders?filter=to-ship`);
  await page.getByRole("button", { name: "Mark ticked orders shipped" }).click();
  await expect(page.getByRole("alert")).toContainText("Tick the orders");
  await page.getByLabel(`Choose order #${number}`).check();
  await page.getByLabel("Carrier for the ticked orders").fill("UPS");
  await page.getByLabel(`Tracking number of Order #${number}`).fill(`1Z${word.toUpperCase()}`);
  await page.getByRole("button", { name: "Mark ticked orders shipped" }).click();
  await expect(page.getByRole("status")).toContainText("marked shipped");
  await page.goto(`/vendor/${shop}/orders/${number}`);
  await expect(page.getByRole("article", { name: new RegExp(`Order #${number}`) })).toContainText(`1Z${word.toUpperCase()}`);

  // The vendor's balance is the sale less the marketplace's 10 % (the default rate).
  await page.getByRole("navigation", { name: "Shop" }).getByRole("link", { name: "Money" }).click();
  const commission = Math.floor((total * 1000 + 5000) / 10000);
  await expect(page.getByTestId("balance")).toHaveText(dollars(total - commission));
  await expect(page.getByText("payouts are simulated")).toBeVisible();

  // The shopper sees the tracking number.
  await context.clearCookies();
  await page.goto(`/orders/lookup?number=${number}`);
  await page.getByLabel("Email used for the order").fill(shopper);
  await page.getByRole("button", { name: "Find order" }).click();
  await expect(page.getByText(`1Z${word.toUpperCase()}`)).toBeVisible();
});

test("the portal's menu shows each role what it may use, and only that opens", async ({ page }) => {
  const menu = page.getByRole("navigation", { name: "Shop" });
  const sections = ["Dashboard", "Products", "Inventory", "Orders", "Money", "Discounts", "Staff"];
  // Staff land on their shop's dashboard and see the shop's work, not its money or people.
  await signIn(page, "staff@example.com", "demo-market-2026");
  await expect(page).toHaveURL(/\/vendor\/[a-z0-9-]+$/);
  const shop = new URL(page.url()).pathname.split("/")[2];
  await expect(menu.getByRole("link")).toHaveText([...sections.slice(0, 4), "View the shop"]);
  await expect(menu.getByRole("link", { name: "Dashboard" })).toHaveAttribute("aria-current", "page");
  await page.goto(`/vendor/${shop}/money`);
  await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  // The owner sees everything, Staff included, and the invite form words the roles the same.
  await page.context().clearCookies();
  const owned = await signInAsDemoOwner(page);
  await expect(menu.getByRole("link")).toHaveText([...sections, "View the shop"]);
  await menu.getByRole("link", { name: "Staff" }).click();
  await expect(page).toHaveURL(new RegExp(`/vendor/${owned}/staff$`));
  await expect(page.getByRole("option", { name: /^Staff: Dashboard, Products, Inventory and Orders;/ })).toHaveCount(1);
});

/** The records of a CSV text (quoted cells may hold commas, line breaks and doubled quotes). */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      record.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
    } else {
      cell += c;
    }
  }
  if (cell || record.length) records.push([...record, cell]);
  return records;
}

test("a big CSV import shows how far the server has come", async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "without JavaScript the form posts plainly and the page shows the report once the import is done");
  test.setTimeout(120_000);
  const shop = await signInAsDemoOwner(page);
  const exported = await (await page.request.get(`/vendor/${shop}/export/products.csv`)).text();
  const [header, first] = csvRecords(exported);
  const category = first[header.indexOf("category")];
  const word = uniqueWord();
  const rows = Array.from({ length: 1500 }, (_, i) => `bulk-${word}-${i},Bulk ${word} ${i},,${category},draft,,,,,,,BULK-${word.toUpperCase()}-${i},5.00,1`);
  await page.goto(`/vendor/${shop}/import`);
  await page.getByLabel(/^CSV file/).setInputFiles({ name: "bulk.csv", mimeType: "text/csv", buffer: Buffer.from([header.join(","), ...rows].join("\n")) });
  await page.getByRole("button", { name: "Check and import" }).click();
  await expect(page.locator(".upload-status")).toContainText(/(Checking|Saving) products: [\d,]+ of 1,500/);
  await expect(page.getByText("The file was imported: every row was applied.")).toBeVisible({ timeout: 60_000 });
});

test("a shop cancels one unit it can't send before shipping; the shopper sees it refunded", async ({ page, context }) => {
  test.setTimeout(120_000);
  // A guest buys two units from the first demo shop.
  const shop = await signInAsDemoOwner(page);
  await context.clearCookies();
  await page.goto(`/v/${shop}?in_stock=1&sort=price-desc`);
  await page.locator('main a[href^="/p/"]').first().click();
  await page.getByLabel("Quantity").fill("2");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page).toHaveURL(/\/cart\?notice=added$/);
  const shopper = uniqueEmail("twoof");
  const number = await checkOutAsGuest(page, shopper);

  // The owner cancels one of the two.
  await context.clearCookies();
  await signInAsDemoOwner(page);
  await page.goto(`/vendor/${shop}/orders?filter=to-ship&q=${number}`);
  await page.getByRole("link", { name: `#${number}` }).click();
  const part = page.getByRole("article", { name: new RegExp(`Order #${number}`) });
  await part.getByText("Cancel some items").click();
  const lines = part.locator("details", { hasText: "Units you can't send" });
  await lines.getByRole("spinbutton").fill("1");
  await lines.getByLabel("Reason for the shopper").fill("Only one left after a breakage");
  await lines.getByRole("button", { name: "Cancel these and refund" }).click();
  // Money going out asks the owner to confirm who they are, then brings them back.
  await expect(page).toHaveURL(/\/account\/confirm\?next=/);
  await page.getByLabel("Password").fill("demo-market-2026");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(new RegExp(`/vendor/${shop}/orders/${number}`));
  const again = page.getByRole("article", { name: new RegExp(`Order #${number}`) });
  await again.getByText("Cancel some items").click();
  const retry = again.locator("details", { hasText: "Units you can't send" });
  await retry.getByRole("spinbutton").fill("1");
  await retry.getByLabel("Reason for the shopper").fill("Only one left after a breakage");
  await retry.getByRole("button", { name: "Cancel these and refund" }).click();
  await expect(page.getByText(`Items of order #${number} cancelled`)).toBeVisible();
  await expect(page.getByRole("article", { name: new RegExp(`Order #${number}`) })).toContainText("1 cancelled");

  // The shopper sees it.
  await context.clearCookies();
  await page.goto(`/orders/lookup?number=${number}`);
  await page.getByLabel("Email used for the order").fill(shopper);
  await page.getByRole("button", { name: "Find order" }).click();
  await expect(page.getByText("1 cancelled")).toBeVisible();
  await expect(page.getByRole("region", { name: /^From / }).getByText("Refunded", { exact: true })).toBeVisible();
});
