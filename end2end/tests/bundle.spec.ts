import { expect, test, type Page, type Route } from "@playwright/test";
import { fillDetails, pickFirstSlot, uniqueCitizenId, waitForFormGuard } from "./helpers";

/** The WebAssembly bundle and its JavaScript glue. */
const CODE = /\/pkg\/[^/]+\.(js|wasm)$/;

function watchCode(page: Page): string[] {
  const asked: string[] = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (CODE.test(path)) asked.push(path);
  });
  return asked;
}

// Pages without an island ship no code: no bundle, no glue, no loader, no
// preload — even after a tap, a focused field and idle time.
for (const path of ["/", "/contact", "/privacy", "/track", "/waitlist", "/khong-co-trang-nay"]) {
  test(`${path} downloads no code at all`, async ({ page }) => {
    const asked = watchCode(page);
    await page.goto(path, { waitUntil: "load" });
    await page.mouse.click(2, 300);
    await page.keyboard.press("Tab");
    await page.waitForTimeout(1000);
    expect(asked).toEqual([]);
    await expect(page.locator("script")).toHaveCount(0);
    await expect(page.locator('link[rel="modulepreload"], link[rel="preload"]')).toHaveCount(0);
  });
}

// Where a page has islands, nothing in the head fetches the bundle: it is
// asked for after the first paint.
for (const path of ["/book/tw-ha-noi", "/my-booking"]) {
  test(`${path} asks for its code only after the first paint`, async ({ page }) => {
    await page.goto(path);
    await waitForFormGuard(page);
    await expect(page.locator('link[rel="modulepreload"], link[rel="preload"]')).toHaveCount(0);
    const timing = await page.evaluate(() => ({
      paint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
      code: performance
        .getEntriesByType("resource")
        .filter((e) => /\/pkg\/[^/]+\.(js|wasm)$/.test(new URL(e.name).pathname))
        .map((e) => e.startTime),
    }));
    expect(timing.paint).toBeGreaterThan(0);
    expect(timing.code).toHaveLength(2);
    for (const start of timing.code) expect(start).toBeGreaterThan(timing.paint);
  });
}

test("with JavaScript on, a booking goes through while the code is held back, and the ticket's forms hydrate once it comes", async ({ page }) => {
  const asked = watchCode(page);
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(CODE, async (route: Route) => {
    await held;
    // The page that asked may be gone by now.
    await route.continue().catch(() => {});
  });

  await page.goto("/book/tw-ha-noi");
  await pickFirstSlot(page);
  const citizenId = uniqueCitizenId();
  await fillDetails(page, citizenId, `e2e-held-${citizenId}@example.vn`);
  // Starting on the form asked for the code; none of it has come.
  await expect.poll(() => asked.length).toBeGreaterThan(0);
  await expect(page.locator('leptos-island[data-hydrated="true"]')).toHaveCount(0);
  await page.getByRole("button", { name: "Gửi yêu cầu đặt lịch" }).click();

  // The plain post booked it: the ticket, still without code.
  await expect(page).toHaveURL(/\/my-booking\?t=/);
  await expect(page.locator(".status")).toContainText("Chờ xác nhận");
  await expect(page.locator('leptos-island[data-hydrated="true"]')).toHaveCount(0);

  // The code arrives: the ticket's forms are checked before sending.
  release();
  await waitForFormGuard(page);
  let posts = 0;
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes("/api/bookings/cancel")) posts++;
  });
  // Past the field's maxlength, as a pasted text could be.
  await page.getByLabel("Lý do (không bắt buộc)").evaluate((t) => ((t as HTMLTextAreaElement).value = "x".repeat(600)));
  await page.getByRole("button", { name: "Hủy lịch hẹn" }).click();
  await expect(page.locator("#f-reason-error")).not.toBeEmpty();
  await expect(page.locator(".status")).toContainText("Chờ xác nhận");
  expect(posts).toBe(0);
});
