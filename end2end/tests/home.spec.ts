import { expect, test } from "@playwright/test";
import { OFFICES, waitForFormGuard, watchForErrors } from "./helpers";

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the home page is complete: offices, addresses and opening hours in Vietnamese", async ({ page }) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
    await expect(page).toHaveTitle("Đặt lịch tiếp công dân – Tiếp dân");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đặt lịch tiếp công dân");

    const offices = page.locator("article.office");
    await expect(offices).toHaveCount(2);
    for (const name of OFFICES) {
      await expect(page.getByRole("heading", { level: 3, name })).toBeVisible();
    }
    const central = page.locator('article[data-office="tw-ha-noi"]');
    await expect(central).toContainText("Số 1 Ngô Thì Nhậm, phường Hà Đông, Hà Nội");
    await expect(central.locator(".office__hours")).toContainText("Thứ Hai – Thứ Sáu");
    await expect(central.locator(".office__hours")).toContainText("07:30–11:30, 13:30–17:00");
    await expect(central.locator(".office__hours")).toContainText("Thứ Bảy – Chủ nhật");
    await expect(central.locator(".office__hours")).toContainText("Không tiếp");
    // The header, footer and their links are there too.
    await expect(page.getByRole("link", { name: "Liên hệ" })).toHaveAttribute("href", "/contact");
    await expect(page.getByRole("link", { name: "Quyền riêng tư" })).toHaveAttribute("href", "/privacy");
  });

  test("footer pages render and an unknown page is a 404", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("link", { name: "Quyền riêng tư" }).click();
    await expect(page).toHaveURL(/\/privacy$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quyền riêng tư và bảo vệ dữ liệu cá nhân");

    await page.getByRole("link", { name: "Liên hệ" }).click();
    await expect(page.getByRole("heading", { level: 2, name: OFFICES[1] })).toBeVisible();

    const missing = await page.goto("/khong-co-trang-nay");
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
  });
});

test("the booking page hydrates without errors and loads its assets compressed", async ({ page }) => {
  const problems = watchForErrors(page);
  const encodings = new Map<string, string>();
  // Reading a response's headers is asynchronous: the checks below wait for
  // every read, or on a busy machine the bundle's entry is not in yet.
  const reads: Promise<void>[] = [];
  page.on("response", (res) => {
    const path = new URL(res.url()).pathname;
    if (/\.(wasm|js|css)$/.test(path)) {
      reads.push(res.allHeaders().then((headers) => void encodings.set(path, headers["content-encoding"] ?? "none")));
    }
  });
  await page.goto("/book/tw-ha-noi");
  await waitForFormGuard(page);
  await Promise.all(reads);
  expect(problems).toEqual([]);
  const wasm = [...encodings].find(([path]) => path.endsWith(".wasm"));
  expect(wasm, "the WebAssembly bundle was downloaded").toBeTruthy();
  expect(wasm![1]).toBe("br");
  for (const [path] of encodings) {
    expect(path, "asset names carry a content hash").toMatch(/\/pkg\/tiepdan\.[A-Za-z0-9_-]{8,}\.(wasm|js|css)$/);
  }
});

test("the layout fits a 320 px screen without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto("/");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test("keyboard: the first Tab reaches the skip link, which moves focus to the content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Bỏ qua, đến nội dung chính" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
});
