import { test as base, expect, type Page } from "@playwright/test";

/** Resolves once the page is interactive: hydrated when JavaScript runs and the page is the
 * app (the offline page, for one, has no app to hydrate); loaded otherwise. */
export async function ready(page: Page, javaScriptEnabled: boolean) {
  if (!javaScriptEnabled) return;
  await page.waitForFunction(
    () => document.body?.dataset.hydrated === "true" || !document.querySelector('link[rel="modulepreload"]'),
    undefined,
    { timeout: 20_000 },
  );
}

// `page.goto` and `page.reload` wait for hydration, so a click never races the WASM loading.
// Errors the page throws are collected and reported, so a failed hydration names its cause.
export const test = base.extend({
  page: async ({ page, javaScriptEnabled }, use, testInfo) => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${page.url()}: ${message.text()}`);
    });
    const goto = page.goto.bind(page);
    const reload = page.reload.bind(page);
    page.goto = async (url, options) => {
      const response = await goto(url, options);
      await ready(page, javaScriptEnabled);
      return response;
    };
    page.reload = async (options) => {
      const response = await reload(options);
      await ready(page, javaScriptEnabled);
      return response;
    };
    await use(page);
    if (errors.length > 0 && testInfo.status !== testInfo.expectedStatus) {
      console.error(`browser errors during "${testInfo.title}":\n  ${errors.join("\n  ")}`);
    }
  },
});

export { expect };
