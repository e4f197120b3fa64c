import { type Page, expect } from "@playwright/test";

/** Fills checkout's address form with a Los Angeles address (7.25 % sales tax in the demo). */
export async function fillAddress(page: Page) {
  await page.getByLabel("Country", { exact: true }).selectOption("US");
  await page.getByLabel("Full name").fill("Ada Shopper");
  await page.getByLabel("Address", { exact: true }).fill("1 Main Street");
  await page.getByLabel("City").fill("Los Angeles");
  await page.getByLabel("State or province").fill("CA");
  await page.getByLabel("ZIP or postal code").fill("90001");
}

/** From the cart: checks out as a guest with `email` and the Los Angeles address, pays with
 * the test provider's success button, and returns the order number. */
export async function checkOutAsGuest(page: Page, email: string): Promise<string> {
  await page.getByRole("link", { name: "Check out" }).click();
  await page.getByLabel("Email").fill(email);
  await fillAddress(page);
  await page.getByRole("button", { name: "Review order" }).click();
  await page.getByRole("button", { name: /^Place order and pay/ }).click();
  await page.getByRole("button", { name: /test: succeeds/ }).click();
  await expect(page).toHaveURL(/\/orders\/\d+\?notice=paid$/);
  return page.url().match(/\/orders\/(\d+)/)![1];
}
