import { test, expect } from "./fixtures";

test("robots.txt and the sitemaps point at every public page", async ({ request }) => {
  const robots = await (await request.get("/robots.txt")).text();
  expect(robots).toContain("Sitemap: ");
  const index = await (await request.get("/sitemap.xml")).text();
  expect(index).toContain("/sitemaps/products-1.xml");
  const products = await (await request.get("/sitemaps/products-1.xml")).text();
  expect((products.match(/<url>/g) ?? []).length).toBeGreaterThan(1000);
});

test("the app can be installed: manifest and icons", async ({ page, request }) => {
  await page.goto("/");
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  const manifest = await (await request.get(href!)).json();
  expect(manifest.display).toBe("standalone");
  for (const icon of manifest.icons) {
    const response = await request.get(icon.src);
    expect(response.status(), icon.src).toBe(200);
  }
});

test.describe("offline", () => {
  test.use({ serviceWorkers: "allow" });

  test("visited pages stay readable offline; others show the offline page", async ({ page, context, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, "a service worker needs JavaScript");
    await page.goto("/c/candles");
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The page that installed the worker is not controlled yet; load it again under its control.
    await page.reload();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await page.goto("/c/candles");
    // The network goes away: every request the service worker makes now fails.
    // (`context.setOffline` does not reach a service worker's own requests in Chromium.)
    await context.route("**/*", (route) => route.abort("internetdisconnected"));
    await page.reload({ waitUntil: "load" });
    await expect(page.getByRole("heading", { level: 1, name: "Candles" })).toBeVisible();
    await page.goto("/c/never-visited-while-online", { waitUntil: "load" });
    await expect(page.getByRole("heading", { name: "You're offline" })).toBeVisible();
  });
});
