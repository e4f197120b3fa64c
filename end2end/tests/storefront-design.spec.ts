import { type Page } from "@playwright/test";
import { test, expect } from "./fixtures";

// The storefront on a phone: the menu drawer reaches every department, the filters wait in a
// drawer with the result count, and the header's colours read.
test.use({ viewport: { width: 390, height: 844 } });

/** WCAG contrast ratio of two computed CSS colours ("rgb(r, g, b)"). */
async function contrast(page: Page, selector: string, background: string) {
  return page.evaluate(
    ([selector, background]) => {
      const rgb = (text: string) => (text.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      const luminance = ([r, g, b]: number[]) => {
        const c = [r, g, b].map((v) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
      };
      const element = document.querySelector(selector)!;
      const style = getComputedStyle(element);
      // "self": the element's text on its own background; else its background against a colour.
      const fore = luminance(rgb(background === "self" ? style.color : background));
      const back = luminance(rgb(style.backgroundColor));
      return (Math.max(fore, back) + 0.05) / (Math.min(fore, back) + 0.05);
    },
    [selector, background],
  );
}

test("the phone menu drawer reaches every department", async ({ page }) => {
  await page.goto("/");
  const header = page.locator("header.site-header");
  expect((await header.boundingBox())!.height).toBeLessThanOrEqual(110);
  const menu = page.getByRole("navigation", { name: "Categories" });
  await menu.getByText("Categories", { exact: true }).click();
  const departments = ["Clothing", "Electronics", "Home & Kitchen", "Sports & Outdoors", "Beauty",
    "Books & Stationery", "Toys & Games", "Garden"];
  for (const name of departments) {
    const department = menu.getByText(name, { exact: true }).filter({ visible: true });
    await department.scrollIntoViewIfNeeded();
    await expect(department).toBeInViewport();
  }
  // A department opens in place, and its subcategories lead to their pages.
  await menu.getByText("Electronics", { exact: true }).filter({ visible: true }).click();
  await menu.getByText("Audio", { exact: true }).filter({ visible: true }).click();
  await menu.getByRole("link", { name: "Headphones" }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/c\/headphones$/);
});

test("filters open in a drawer with the result count", async ({ page }) => {
  await page.goto("/c/clothing");
  const count = page.getByRole("status").filter({ hasText: /products?$/ });
  await expect(count).toHaveText(/^\d+ products?$/);
  const filters = page.getByRole("form", { name: "Sort and filter" });
  await expect(filters).toBeHidden();
  const firstProduct = page.getByRole("list", { name: "Products in Clothing" }).getByRole("article").first();
  expect((await firstProduct.boundingBox())!.y).toBeLessThan(844);
  await page.getByRole("link", { name: "Filter and sort" }).click();
  await expect(filters).toBeVisible();
  await expect(filters.getByLabel("Sort by")).toBeInViewport();
  await filters.getByLabel("In stock only").check();
  await page.getByRole("button", { name: "Apply filters" }).click({ noWaitAfter: true }).catch(() => {});
  await expect(page).toHaveURL(/in_stock=1/);
  const chip = page.getByRole("link", { name: "Remove filter: In stock" });
  await expect(chip).toBeVisible();
  await chip.click();
  await expect(page).not.toHaveURL(/in_stock/);
});

test("the header's cart count and focus ring read on the green", async ({ page }) => {
  await page.goto("/c/headphones?in_stock=1");
  await page.getByRole("list", { name: "Products in Headphones" }).getByRole("heading").first().getByRole("link").click();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await expect(page.locator(".cart-badge")).toBeVisible();
  expect(await contrast(page, ".cart-badge", "self")).toBeGreaterThanOrEqual(4.5);
  // From the search box, the keyboard reaches the search button, then the account link.
  await page.getByRole("combobox", { name: "Search products" }).focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Sign in" })).toBeFocused();
  const green = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")!).backgroundColor);
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineColor);
  expect(await contrast(page, ".site-header", ring)).toBeGreaterThanOrEqual(3);
  expect(ring).not.toBe(green);
});
