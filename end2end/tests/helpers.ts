import { expect, type Page } from "@playwright/test";

export const OFFICES = [
  "Trụ sở Ban Tiếp công dân Trung ương, Hà Nội",
  "Trụ sở Thanh tra Chính phủ",
];

/** The language switch marks itself once its island is live. */
export async function waitForHydration(page: Page) {
  await expect(page.locator('form.lang-switch[data-hydrated="true"]')).toBeAttached();
}

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
