import AxeBuilder from "@axe-core/playwright";
import { type Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { register, signIn, signInAsNewAdmin, uniqueEmail } from "./accounts";

// axe-core's WCAG 2 A and AA rules on the pages people use most, shopper and shop owner: no
// serious or critical finding. Run once, in the hydrated page (axe is a script it runs in the
// page), at phone size.
test.use({ viewport: { width: 390, height: 844 } });

async function audit(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
  expect(serious, serious.join("\n")).toEqual([]);
}

test("shopper and shop owner pages have no serious accessibility problem", async ({ page }, info) => {
  test.skip(info.project.name !== "js", "once: axe runs its script in the page");
  test.setTimeout(90_000);
  await page.goto("/");
  await audit(page, "home");
  await page.goto("/c/clothing#filters");
  await audit(page, "category with filters");
  await page.goto("/c/mens-t-shirts?sort=price-asc");
  await page.getByRole("list", { name: /^Products in/ }).getByRole("article").first().getByRole("link").first().click();
  await audit(page, "product");
  await page.getByRole("button", { name: "Add to cart" }).click();
  await audit(page, "cart");
  await page.getByRole("link", { name: "Check out" }).click();
  await page.getByRole("button", { name: "Review order" }).click();
  await audit(page, "checkout with errors");

  const email = uniqueEmail("a11y");
  await register(page, email);
  await signIn(page, email);
  for (const path of ["/account", "/account/orders", "/account/addresses", "/account/security"]) {
    await page.goto(path);
    await audit(page, path);
  }

  await page.context().clearCookies();
  await signIn(page, "owner@example.com", "demo-market-2026");
  await page.goto("/vendor");
  await audit(page, "/vendor");
  await page.getByRole("list", { name: "Your shops" }).getByRole("link").first().click();
  const base = new URL(page.url()).pathname;
  for (const tail of ["", "/orders?filter=all", "/products", "/inventory", "/money", "/staff"]) {
    await page.goto(`${base}${tail}`);
    await audit(page, `portal ${tail || "dashboard"}`);
  }
  await page.goto(`${base}/products`);
  await page.getByRole("table").getByRole("link").first().click();
  await audit(page, "product editor");
});

test("the operators' console has no serious accessibility problem", async ({ page }, info) => {
  test.skip(info.project.name !== "js", "once: axe runs its script in the page");
  await signInAsNewAdmin(page);
  for (const path of ["/admin", "/admin/users", "/admin/audit", "/admin/vendors", "/admin/products", "/admin/categories"]) {
    await page.goto(path);
    await audit(page, path);
  }
  await page.goto("/admin/users?q=shopper%40example.com");
  await page.getByRole("table").getByRole("link").first().click();
  await audit(page, "a person");
});
