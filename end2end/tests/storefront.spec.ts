import { type Page } from "@playwright/test";
import { test, expect } from "./fixtures";

// Pages are server-rendered; with JavaScript their islands (interactive parts) are hydrated and
// act in place. This marker survives in-place updates and disappears on a page load.
async function markWindow(page: Page) {
  await page.evaluate(() => ((window as any).__stayed = true));
}
async function stayedOnPage(page: Page) {
  return page.evaluate(() => (window as any).__stayed === true);
}

test("home page shows featured categories, new arrivals and top rated", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle(/Marketplace/);
  await expect(page.getByRole("heading", { name: "Featured categories" })).toBeVisible();
  await expect(page.getByRole("list", { name: "New arrivals" }).getByRole("article")).toHaveCount(8);
  await expect(page.getByRole("list", { name: "Top rated" }).getByRole("article")).toHaveCount(8);
  await expect(page.getByRole("search")).toBeVisible();
});

test("the category menu leads through the tree to products", async ({ page }) => {
  await page.goto("/");
  const menu = page.getByRole("navigation", { name: "Categories" });
  // On a desktop the whole tree opens as a mega-menu (the phone's drawer: storefront-design).
  await menu.getByText("All categories", { exact: true }).click();
  await menu.getByRole("link", { name: "Headphones" }).click();
  await expect(page).toHaveURL(/\/c\/headphones$/);
  await expect(page.getByRole("heading", { level: 1, name: "Headphones" })).toBeVisible();
  const breadcrumb = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(breadcrumb.getByRole("link", { name: "Electronics" })).toBeVisible();
  await expect(breadcrumb.getByRole("link", { name: "Audio" })).toBeVisible();
  expect(await page.getByRole("list", { name: "Products in Headphones" }).getByRole("article").count()).toBeGreaterThan(0);
});

test("filters and sorting narrow the category listing", async ({ page, javaScriptEnabled }) => {
  await page.goto("/c/clothing");
  const filters = page.getByRole("form", { name: "Sort and filter" });
  // Typed prices wait; a choice from a list or a box applies at once with JavaScript, and
  // everything waits for the one button without it.
  await filters.getByLabel("Min").fill("20");
  await filters.getByLabel("Max").fill("80");
  await filters.getByLabel("Sort by").selectOption({ label: "Price: low to high" });
  if (javaScriptEnabled) await expect(page).toHaveURL(/sort=price-asc/);
  await filters.getByLabel("In stock only").check();
  if (!javaScriptEnabled) await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/sort=price-asc/);
  await expect(page).toHaveURL(/in_stock=1/);
  const prices = await page
    .getByRole("list", { name: "Products in Clothing" })
    .getByRole("article")
    .getByText(/^(From )?\$[\d,.]+$/)
    .allInnerTexts();
  expect(prices.length).toBeGreaterThan(1);
  const amounts = prices.map((p) => Number(p.replace(/[^0-9.]/g, "")));
  expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
  expect(Math.min(...amounts)).toBeGreaterThanOrEqual(20);
  expect(Math.max(...amounts)).toBeLessThanOrEqual(80);
  await expect(page.getByText("Sold out")).toHaveCount(0);
});

test("pagination uses real links", async ({ page }) => {
  await page.goto("/c/electronics");
  const pages = page.getByRole("navigation", { name: "Pages" });
  await pages.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(pages.locator('[aria-current="page"]')).toHaveText("2");
  await pages.getByRole("link", { name: "Previous" }).click();
  await expect(page).not.toHaveURL(/page=/);
});

test("choosing a variant changes price, SKU and availability", async ({ page, javaScriptEnabled }) => {
  await page.goto("/c/mens-t-shirts");
  await page.getByRole("list", { name: "Products in Men's T-Shirts" }).getByRole("heading").first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await markWindow(page);
  const size = page.getByRole("group", { name: "Size" });
  const purchase = page.getByRole("region", { name: "Price and availability" });
  const sku = purchase.getByText(/^SKU /);
  const before = await sku.innerText();
  // Pick a size that is not the current one.
  const current = await size.getByRole("strong").innerText().catch(() => "");
  const names = await size.getByRole("link").evaluateAll((links) => links.map((a) => a.textContent?.trim() ?? ""));
  const label = names.find((name) => name !== current)!;
  await size.getByRole("link", { name: new RegExp(`^Size: ${label}( \\(sold out\\))?$`) }).click();
  await expect(page).toHaveURL(/variant=/);
  await expect(size.getByText(`Size: ${label}`)).toBeVisible();
  await expect(sku).not.toHaveText(before);
  await expect(purchase.getByText(/^(In stock|Only \d+ left|Sold out)$/)).toBeVisible();
  await expect(purchase.getByText(/^\$[\d,.]+$/)).toBeVisible();
  // With JavaScript the island made the choice in place; without, the link loaded the page.
  expect(await stayedOnPage(page)).toBe(javaScriptEnabled);
});

test("a product page has reviews, related products, vendor link and structured data", async ({ page }) => {
  await page.goto("/c/headphones?sort=rating");
  await page.getByRole("list", { name: "Products in Headphones" }).getByRole("heading").first().getByRole("link").click();
  const reviews = page.getByRole("region", { name: "Reviews" });
  await expect(reviews.getByText(/out of 5/).first()).toBeVisible();
  expect(await reviews.getByRole("listitem").count()).toBeGreaterThan(0);
  await expect(page.getByRole("heading", { name: "More like this" })).toBeVisible();
  const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? "{}");
  expect(jsonLd["@type"]).toBe("Product");
  expect(jsonLd.offers.priceCurrency).toBe("USD");
  const canonical = await page.locator('link[rel="canonical"]').getAttribute("href");
  expect(canonical).toMatch(/\/p\/[a-z0-9-]+$/);
  const image = page.getByRole("region", { name: "Images" }).getByRole("img").first();
  await expect(image).toHaveAttribute("srcset", /320w.*640w.*960w/);
  await page.getByText("Sold by").getByRole("link").click();
  await expect(page).toHaveURL(/\/v\//);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("unknown pages answer 404 with a way back", async ({ page }) => {
  const response = await page.goto("/p/this-product-does-not-exist");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the shop" }).click();
  await expect(page.getByRole("heading", { name: "Featured categories" })).toBeVisible();
});

test("the search box submits to the results page", async ({ page }) => {
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "Search products" });
  await box.fill("headphones");
  await page.getByRole("search").getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\/search\?q=headphones/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Results for “headphones”");
});
