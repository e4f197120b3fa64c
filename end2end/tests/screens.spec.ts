import { type Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { register, signIn, uniqueEmail } from "./accounts";

// Reference images of the pages people see most, at a phone's size and a desktop's, so a
// layout regression fails the suite. Taken without JavaScript (the server-rendered page, which
// is what the hydrated page looks like) and once, not per project, to keep the suite quick.
// After an intended change: `npx playwright test screens --update-snapshots`, then look at the
// new images before committing them.

const sizes = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 900 },
];

/** What changes from run to run (counts, figures, dates, the cart badge) is masked. */
function shoot(page: Page, name: string, masks: string[] = []) {
  return expect(page).toHaveScreenshot(`${name}.png`, {
    animations: "disabled",
    caret: "hide",
    maxDiffPixelRatio: 0.02,
    mask: [".cart-badge", ".demo-ribbon", ...masks].map((s) => page.locator(s)),
  });
}

/** The cheapest men's T-shirt: a seeded product whose place no other test changes. */
async function openProduct(page: Page) {
  await page.goto("/c/mens-t-shirts?sort=price-asc");
  await page.getByRole("list", { name: /^Products in/ }).getByRole("article").first().getByRole("link").first().click();
  await expect(page.getByRole("button", { name: "Add to cart" })).toBeVisible();
}

for (const size of sizes) {
  test.describe(`at ${size.name} size`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test("storefront pages", async ({ page }, info) => {
      test.skip(info.project.name !== "no-js", "one set of images");
      await page.goto("/");
      await shoot(page, `${size.name}-home`, [".grid"]);
      await page.goto("/c/clothing#filters");
      await shoot(page, `${size.name}-category-filters`, [".grid", ".result-count"]);
      await openProduct(page);
      await shoot(page, `${size.name}-product`, [".reviews"]);
      await page.getByRole("button", { name: "Add to cart" }).click();
      await expect(page).toHaveURL(/\/cart/);
      await shoot(page, `${size.name}-cart`);
      await page.getByRole("link", { name: "Check out" }).click();
      await shoot(page, `${size.name}-checkout`);
    });

    test("account and portal pages", async ({ page }, info) => {
      test.skip(info.project.name !== "no-js", "one set of images");
      test.setTimeout(60_000);
      const email = uniqueEmail(`screens-${size.name}`);
      await register(page, email);
      await signIn(page, email);
      await page.goto("/account/orders");
      await shoot(page, `${size.name}-account-orders`);

      await page.context().clearCookies();
      await signIn(page, "owner@example.com", "demo-market-2026");
      await expect(page).toHaveURL(/\/vendor/);
      await page.goto("/vendor");
      const shop = page.getByRole("list", { name: "Your shops" }).getByRole("link").first();
      await shop.click();
      await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
      await shoot(page, `${size.name}-portal-dashboard`, [".figures", ".account-main .panel", ".notice"]);
      const base = new URL(page.url()).pathname;
      // Other specs place orders with this shop: a search no order matches keeps the page the same.
      await page.goto(`${base}/orders?filter=all&q=nobody-${size.name}`);
      await shoot(page, `${size.name}-portal-orders`, [".pager"]);
      await page.goto(`${base}/products`);
      await page.getByRole("table").getByRole("link").first().click();
      await expect(page.getByRole("heading", { name: "Details" })).toBeVisible();
      await shoot(page, `${size.name}-product-editor`, ["#product-title", "#product-description", ".variants", "section[aria-labelledby=images-title]", "section[aria-labelledby=options-title] input"]);
    });
  });
}
