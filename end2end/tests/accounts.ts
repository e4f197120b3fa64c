import { expect, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The directory the server writes mail to when no SMTP server is configured. */
const mailDir = path.join(process.env.DATA_DIR ?? path.resolve(__dirname, "../../.data/e2e"), "mail");

export const PASSWORD = "orbit lantern pickle seventy";

export function uniqueEmail(label: string): string {
  return `${label}-${randomBytes(5).toString("hex")}@example.com`;
}

/** Undoes quoted-printable soft line breaks and escapes. */
function decodeQuotedPrintable(text: string): string {
  return text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** The newest link to `linkPath` mailed to `to`, waiting for the mail to arrive. */
export async function mailedLink(to: string, linkPath: string): Promise<string> {
  let link: string | undefined;
  await expect
    .poll(
      () => {
        if (!fs.existsSync(mailDir)) return undefined;
        const files = fs
          .readdirSync(mailDir)
          .filter((f) => f.endsWith(".eml"))
          .map((f) => path.join(mailDir, f))
          .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
        for (const file of files) {
          const mail = decodeQuotedPrintable(fs.readFileSync(file, "utf8"));
          if (!mail.includes(`To: ${to}`)) continue;
          const match = mail.match(new RegExp(`https?://[^\\s"<>]+${linkPath.replace(/\//g, "\\/")}\\?token=[A-Za-z0-9_-]+`));
          if (match) {
            link = match[0];
            return link;
          }
        }
        return undefined;
      },
      { timeout: 15_000, message: `a mail to ${to} with a ${linkPath} link` },
    )
    .toBeTruthy();
  return new URL(link!).pathname + new URL(link!).search;
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for a base32 secret. */
export function totp(secretBase32: string, at = Date.now()): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secretBase32.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const hmac = createHmac("sha1", key).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0xf;
  const value = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

/** Signs up through the form and confirms the address from the mail. */
export async function register(page: Page, email: string, name = "Test Shopper") {
  await page.goto("/account/register");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("status")).toContainText("Check your inbox");
  // Opening the link changes nothing until its button is pressed (mail scanners follow links).
  await page.goto(await mailedLink(email, "/account/verify"));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("status")).toContainText("confirmed");
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/account/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** A platform admin made with the server's own command, signed in with 2FA turned on. */
export async function signInAsNewAdmin(page: Page) {
  const email = uniqueEmail("ops");
  const server = (process.env.E2E_SERVER_CMD ?? path.resolve(__dirname, "../../target/debug/server serve")).split(" ")[0];
  execFileSync(server, ["create-admin", "--email", email, "--name", "Olga Ops"], {
    env: { ...process.env, ADMIN_PASSWORD: PASSWORD },
    stdio: "pipe",
  });
  await signIn(page, email);
  // Turning 2FA on (with the password) makes this browser one that passed it: /admin opens.
  await page.goto("/account/security");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  const secret = (await page.locator(".totp-secret").innerText()).trim();
  await page.getByLabel("Code from your app").fill(totp(secret));
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
}
