import { type Page } from "@playwright/test";

/** Fills checkout's address form with a Los Angeles address (7.25 % sales tax in the demo). */
export async function fillAddress(page: Page) {
  await page.getByLabel("Full name").fill("Ada Shopper");
  await page.getByLabel("Address", { exact: true }).fill("1 Main Street");
  await page.getByLabel("City").fill("Los Angeles");
  await page.getByLabel("State or region").fill("CA");
  await page.getByLabel("Postal code").fill("90001");
  await page.getByLabel("Country code").fill("US");
}
