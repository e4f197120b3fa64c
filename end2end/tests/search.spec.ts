import { test, expect } from "./fixtures";

test("search forgives typos and says what it searched for", async ({ page }) => {
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "Search products" });
  await box.fill("wirelss headphnes");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=wirelss/);
  await expect(page.getByText("Showing results for")).toContainText("wireless headphones");
  const first = page.getByRole("list", { name: "Search results" }).getByRole("article").first();
  await expect(first.getByRole("heading")).toContainText(/Wireless/);
});

test("facets narrow the results and their counts match", async ({ page, javaScriptEnabled }) => {
  await page.goto("/search?q=shirt");
  const vendorFilter = page.getByRole("form", { name: "Sort and filter" }).getByRole("checkbox").first();
  const label = await vendorFilter.evaluate((input) => (input as HTMLInputElement).labels![0].innerText);
  const expected = Number(label.match(/\((\d+)\)/)![1]);
  await vendorFilter.check();
  if (!javaScriptEnabled) await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/vendor=/);
  // Fields left empty (the prices, any rating) stay out of the address.
  if (javaScriptEnabled) expect(new URL(page.url()).search).not.toMatch(/=(&|$)/);
  await expect(page.getByRole("status").first()).toHaveText(`${expected} products`);

  // The first choice after "Any rating".
  const rating = page.getByRole("group", { name: "Rating" }).getByRole("radio").nth(1);
  const ratingLabel = await rating.evaluate((input) => (input as HTMLInputElement).labels![0].innerText);
  const ratingCount = Number(ratingLabel.match(/\((\d+)\)/)![1]);
  await rating.check();
  if (!javaScriptEnabled) await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/rating=/);
  await expect(page.getByRole("status").first()).toHaveText(`${ratingCount} products`);
});

test("the category facet walks down the tree", async ({ page }) => {
  await page.goto("/search?q=organic");
  const categories = page.getByRole("navigation", { name: "Category" });
  await categories.getByRole("link", { name: /^Clothing/ }).click();
  await expect(page).toHaveURL(/category=clothing/);
  await expect(categories.getByText("Clothing", { exact: true })).toBeVisible();
  await expect(categories.getByRole("link", { name: "All categories" })).toBeVisible();
});

test("an empty result suggests where to go", async ({ page }) => {
  await page.goto("/search?q=zzzqqqxxx");
  await expect(page.getByText(/Nothing matches/)).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Popular categories" }).getByRole("link").first()).toBeVisible();
});

test("autocomplete suggests products, categories and shops from the keyboard", async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "suggestions need JavaScript; without it the box submits to the results page");
  await page.goto("/");
  const box = page.getByRole("combobox", { name: "Search products" });
  await box.pressSequentially("headph", { delay: 20 });
  const list = page.getByRole("listbox", { name: "Suggestions" });
  await expect(list).toBeVisible();
  await expect(box).toHaveAttribute("aria-expanded", "true");
  await expect(list.getByRole("option").filter({ hasText: "Category" }).first()).toContainText("Headphones");
  await box.press("ArrowDown");
  await expect(box).toHaveAttribute("aria-activedescendant", "suggestion-0");
  await expect(list.getByRole("option").first()).toHaveAttribute("aria-selected", "true");
  await box.press("Escape");
  await expect(list).toBeHidden();
  await expect(box).toHaveValue("headph");
  await box.press("ArrowDown");
  await box.press("Enter");
  await expect(page).toHaveURL(/\/p\//);
});
