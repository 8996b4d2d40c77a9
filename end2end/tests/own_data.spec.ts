import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import * as fs from "node:fs";
import { fillDetails, pickFirstSlot, uniqueCitizenId, waitForFormGuard } from "./helpers";

const OFFICE = "tw-ha-noi";

/** book → the ticket lists the data → download it → withdraw consent. */
async function ownData(page: Page, withJs: boolean) {
  const citizenId = uniqueCitizenId();
  const email = `e2e-data-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.vn`;
  await page.goto(`/book/${OFFICE}`);
  if (withJs) await waitForFormGuard(page);
  await pickFirstSlot(page);
  await fillDetails(page, citizenId, email);
  await page.getByRole("button", { name: "Gửi yêu cầu đặt lịch" }).click();
  await expect(page).toHaveURL(/\/my-booking\?t=/);

  // What is held, the CCCD shortened.
  const card = page.locator("#my-data");
  await expect(card.getByRole("heading", { name: "Dữ liệu cá nhân của ông/bà" })).toBeVisible();
  await expect(card).toContainText(`kết thúc bằng ${citizenId.slice(-3)}`);
  await expect(card).toContainText(email);
  expect(await page.content()).not.toContain(citizenId);
  if (withJs) {
    const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
  }

  // The download: a file, the page stays.
  const url = page.url();
  const downloading = page.waitForEvent("download");
  await card.getByRole("button", { name: "Tải dữ liệu (JSON)" }).click();
  const download = await downloading;
  const code = (await page.locator(".ticket__code").getAttribute("data-code"))!;
  expect(download.suggestedFilename()).toBe(`tiep-dan-${code}.json`);
  const data = JSON.parse(fs.readFileSync((await download.path())!, "utf8"));
  expect(data.citizen.citizen_id).toBe(citizenId);
  expect(data.citizen.email).toBe(email);
  expect(data.code).toBe(code);
  expect(page.url()).toBe(url);

  // Withdrawing asks for the box first, then says what was done.
  await card.getByRole("button", { name: "Rút lại sự đồng ý" }).click();
  await expect(page.locator("#f-confirm-error")).toHaveText("Đánh dấu ô xác nhận để rút lại sự đồng ý.");
  await page.getByLabel("Tôi hiểu và muốn rút lại sự đồng ý").check();
  await page.locator("#my-data").getByRole("button", { name: "Rút lại sự đồng ý" }).click();
  await expect(page).toHaveURL(/\/my-booking\?withdrawn=cancelled$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đã rút lại sự đồng ý");
  await expect(page.getByRole("status")).toContainText("Lịch hẹn đã được huỷ");

  // The private link no longer opens anything.
  await page.goto(url);
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.locator("#f-code")).toBeVisible();
}

test("a citizen downloads their data and withdraws consent — with JavaScript", async ({ page }) => {
  await ownData(page, true);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("a citizen downloads their data and withdraws consent", async ({ page }) => {
    await ownData(page, false);
  });
});
