import { expect, type Page } from "@playwright/test";

export const OFFICES = [
  "Trụ sở Ban Tiếp công dân Trung ương, Hà Nội",
  "Trụ sở Thanh tra Chính phủ",
];

/** Pages whose forms an island checks: only these load the WebAssembly bundle. */
export const ISLAND_PAGES = ["/book/tw-ha-noi", "/book/tw-ha-noi/wait", "/my-booking"];

/** Collects console errors and failed requests, for a test to assert none. */
export function watchForErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("response", (res) => {
    if (res.status() >= 400 && !res.url().includes("/api/")) problems.push(`${res.status()} ${res.url()}`);
  });
  return problems;
}

import * as fs from "node:fs";
import * as path from "node:path";

export type Mail = { envelope_to: string[]; subject: string | null; text: string | null; html: string | null; attachments: string[] };

/** Waits for a message the SMTP sink recorded for `to` whose subject contains `subject`. */
export async function waitForMail(to: string, subject: string, timeoutMs = 15_000): Promise<Mail> {
  const dir = process.env.MAIL_DIR;
  if (!dir) throw new Error("MAIL_DIR is not set: run through `make test`");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".json"))) {
      let mail: Mail;
      try {
        mail = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
      } catch {
        continue; // still being written
      }
      if (mail.envelope_to.includes(to) && (mail.subject ?? "").includes(subject)) return mail;
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${to} about "${subject}"`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A CCCD no other test uses (province 001, then 9 random digits). */
export function uniqueCitizenId(): string {
  return "001" + String(Math.floor(Math.random() * 1e9)).padStart(9, "0");
}

/**
 * Waits for a fresh rate-limit window when the current one ends within a
 * minute. The limits count in fixed quarter-hour windows (app/src/ssr/limits.rs):
 * a test that counts attempts up to a limit must count them all in one
 * window, whatever the minute it starts at. (Under `make test-clock` this
 * process's clock is moved with the server's.)
 */
export async function freshLimitWindow() {
  const window = 15 * 60 * 1000;
  const left = window - (Date.now() % window);
  if (left < 60_000) await new Promise((resolve) => setTimeout(resolve, left + 500));
}

/** The loader marks each island once it is live (app/src/islands.js). */
export async function waitForFormGuard(page: Page) {
  await expect(page.locator('leptos-island[data-hydrated="true"] .form-guard').first()).toBeAttached();
}

import { createHmac } from "node:crypto";

function base32(secret: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret, as an
 * authenticator app shows it. */
export function totp(secret: string, at = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const h = createHmac("sha1", base32(secret)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1_000_000).padStart(6, "0");
}

import { execFileSync } from "node:child_process";

/** Today in Vietnam, `YYYY-MM-DD`. */
export function todayVN(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).format(new Date());
}

/** The appointment's day comes: test set-up only (psql on the test
 * database, `E2E_DATABASE_URL` from `make test`). The booking moves to a
 * slot of its own that began a minute ago (at midnight, just after it), so
 * the desk may check it in today;
 * nothing else of the day changes for the other tests. */
export function theDayComes(code: string) {
  const db = process.env.E2E_DATABASE_URL;
  if (!db) throw new Error("E2E_DATABASE_URL is not set: run through `make test`");
  if (!/^[2-9A-HJ-NP-Z]{10}$/.test(code)) throw new Error(`not a booking code: ${code}`);
  const sql = `
    WITH b AS (SELECT id, office_id, slot_id FROM bookings WHERE code = :'code'),
    s AS (
      INSERT INTO slots (office_id, starts_at, ends_at, capacity, taken)
      SELECT office_id,
             -- a minute ago, but never before today's midnight in Vietnam
             greatest(now() - interval '1 minute',
                      (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh'),
             now() + interval '29 minutes', 1, 1 FROM b
      RETURNING id
    ),
    freed AS (UPDATE slots SET taken = taken - 1 WHERE id = (SELECT slot_id FROM b))
    UPDATE bookings SET slot_id = (SELECT id FROM s) WHERE id = (SELECT id FROM b);
  `;
  execFileSync("psql", [db, "-v", "ON_ERROR_STOP=1", "-v", `code=${code}`, "-q"], { input: sql });
}

/** Picks one of the first open days and one of its times at random, so that
 * tests running side by side (and earlier runs) do not fill one slot. */
export async function pickFirstSlot(page: Page, scope = page.locator("body")) {
  const days = scope.locator("a.day--open");
  await days.nth(Math.floor(Math.random() * Math.min(5, await days.count()))).click();
  await expect(page).toHaveURL(/day=/);
  const radios = page.locator('input[name="slot_id"]');
  await radios.nth(Math.floor(Math.random() * (await radios.count()))).check();
}

export async function fillDetails(page: Page, citizenId: string, email: string) {
  // Labels end with "(bắt buộc)"; the ids are what the labels point at.
  await page.locator("#f-full_name").fill("Nguyễn Văn An");
  await page.locator("#f-citizen_id").fill(citizenId);
  await page.locator("#f-phone").fill("091 234 5678");
  await page.locator("#f-email").fill(email);
  await page.getByLabel("Khiếu nại", { exact: true }).check();
  await page.locator("#f-summary").fill("Khiếu nại quyết định thu hồi đất của UBND xã.");
  await page.getByLabel(/Tôi đồng ý/).check();
}
