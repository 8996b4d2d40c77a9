import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { fillDetails, pickFirstSlot, uniqueCitizenId, waitForFormGuard, waitForMail } from "./helpers";

const OFFICE = "tw-ha-noi";

/** book → ticket → look up → move → cancel, and the e-mails of each step. */
async function fullJourney(page: Page, withJs: boolean) {
  const citizenId = uniqueCitizenId();
  const email = `e2e-${citizenId}@example.vn`;

  await page.goto("/");
  await page.locator(`[data-office="${OFFICE}"]`).getByRole("link", { name: /Đặt lịch tại trụ sở này/ }).click();
  await expect(page).toHaveURL(new RegExp(`/book/${OFFICE}`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đặt lịch tiếp công dân");
  if (withJs) await waitForFormGuard(page);

  await pickFirstSlot(page);
  // Days and times read as full dates and times, their visible text included.
  await expect(
    page.getByRole("link", { name: /^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật), \d{2}\/\d{2}\/\d{4}, (T\d|CN) \d{1,2}\/\d{2} còn \d+ chỗ$/ }).first(),
  ).toBeVisible();
  await expect(
    page.getByRole("radio", { name: /^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật), \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}–\d{2}:\d{2} còn \d+ chỗ$/ }).first(),
  ).toBeAttached();

  await fillDetails(page, citizenId, email);
  await page.getByRole("button", { name: "Gửi yêu cầu đặt lịch" }).click();

  // The ticket, on the booking's private page.
  await expect(page).toHaveURL(/\/my-booking\?t=/);
  expect(page.url()).not.toContain(citizenId);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Phiếu hẹn tiếp công dân");
  await expect(page.getByText("Đã gửi yêu cầu đặt lịch.")).toBeVisible();
  const code = (await page.locator(".ticket__code").getAttribute("data-code"))!;
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
  await expect(page.locator(".status")).toContainText("Chờ xác nhận");
  await expect(page.locator(".ticket__qr svg")).toBeVisible();
  await expect(page.getByText("Căn cước công dân (CCCD) hoặc hộ chiếu")).toBeVisible();
  const ics = await page.request.get((await page.getByRole("link", { name: /Thêm vào lịch/ }).getAttribute("href"))!);
  expect(ics.status()).toBe(200);
  expect(await ics.text()).toContain("BEGIN:VEVENT");
  if (withJs) {
    // The ticket page, with its cancel and move forms, passes axe too.
    const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
  }
  const received = await waitForMail(email, code.slice(0, 4));
  expect(received.attachments).toEqual(["tiep-dan.ics"]);
  expect(received.subject).not.toContain(citizenId);

  // Look it up with the code and the phone, typed loosely.
  await page.goto("/my-booking");
  if (withJs) await waitForFormGuard(page);
  await page.locator("#f-code").fill(`${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`.toLowerCase());
  await page.locator("#f-phone").fill("+84912345678");
  await page.getByRole("button", { name: "Tra cứu" }).click();
  await expect(page).toHaveURL(/\/my-booking\?t=/);
  await expect(page.locator(".ticket__code")).toHaveAttribute("data-code", code);
  const before = await page.locator(".ticket time").first().textContent();

  // Move it: another time (another day if the first has only one left).
  const move = page.locator("#move");
  if (withJs) await waitForFormGuard(page);
  const radios = move.locator('input[name="slot_id"]');
  if ((await radios.count()) === 0) {
    await move.locator("a.day--open").nth(1).click();
  }
  await move.locator('input[name="slot_id"]').first().check();
  await move.getByRole("button", { name: "Đổi sang giờ đã chọn" }).click();
  await expect(page.locator(".history")).toContainText("Đổi giờ");
  expect(await page.locator(".ticket time").first().textContent()).not.toEqual(before);
  await waitForMail(email, "đổi giờ");

  // Cancel it.
  await page.getByLabel("Lý do (không bắt buộc)").fill("Bận việc gia đình");
  await page.getByRole("button", { name: "Hủy lịch hẹn" }).click();
  await expect(page.locator(".status")).toContainText("Đã hủy");
  await expect(page.getByRole("button", { name: "Hủy lịch hẹn" })).toHaveCount(0);
  await waitForMail(email, "đã được hủy");
}

test("book, see the ticket, look up, move and cancel — with JavaScript", async ({ page }) => {
  await fullJourney(page, true);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("book, see the ticket, look up, move and cancel", async ({ page }) => {
    await fullJourney(page, false);
  });

  test("the server's messages appear beside the fields", async ({ page }) => {
    await page.goto(`/book/${OFFICE}`);
    await pickFirstSlot(page);
    await page.locator("#f-citizen_id").fill("12345");
    await page.getByRole("button", { name: "Gửi yêu cầu đặt lịch" }).click();
    await expect(page).toHaveURL(new RegExp(`/book/${OFFICE}`));
    await expect(page.getByRole("alert").filter({ hasText: "Vui lòng kiểm tra lại" })).toBeVisible();
    await expect(page.locator("#f-citizen_id-error")).toHaveText("Số CCCD gồm đúng 12 chữ số, ví dụ 001099012345.");
    await expect(page.locator("#f-consent-error")).toHaveText("Vui lòng đồng ý cho phép xử lý dữ liệu cá nhân để đặt lịch.");
    await expect(page.locator("#f-citizen_id")).toHaveAttribute("aria-invalid", "true");
    expect(page.url()).not.toContain("12345");
  });
});

/** Opens a day with several times, so that none is chosen for the citizen
 * (a day with one time left, as today is late in the afternoon, preselects it). */
async function openDayWithSeveralTimes(page: Page) {
  await page.goto(`/book/${OFFICE}`);
  const days = page.locator("a.day--open");
  const count = await days.count();
  for (let i = 0; i < count; i++) {
    await page.locator("a.day--open").nth(i).click();
    await expect(page).toHaveURL(/day=/);
    if ((await page.locator('input[name="slot_id"]').count()) > 1) return;
  }
  throw new Error("no open day with more than one time");
}

test("with JavaScript the same messages appear before sending, and a double click sends once", async ({ page }) => {
  await openDayWithSeveralTimes(page);
  await waitForFormGuard(page);
  await expect(page.locator('input[name="slot_id"]:checked')).toHaveCount(0);
  let posts = 0;
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes("/api/bookings/create")) posts++;
  });
  await page.locator("#f-citizen_id").fill("12345");
  await page.getByRole("button", { name: "Gửi yêu cầu đặt lịch" }).click();
  await expect(page.locator("#f-citizen_id-error")).toHaveText("Số CCCD gồm đúng 12 chữ số, ví dụ 001099012345.");
  await expect(page.locator("#f-consent-error")).toHaveText("Vui lòng đồng ý cho phép xử lý dữ liệu cá nhân để đặt lịch.");
  // The first field in error gets the focus: here, the time (none chosen yet).
  await expect(page.locator('#f-slot_id input[name="slot_id"]').first()).toBeFocused();
  expect(posts).toBe(0);

  await pickFirstSlot(page);
  await waitForFormGuard(page);
  const citizenId = uniqueCitizenId();
  await fillDetails(page, citizenId, `e2e-${citizenId}@example.vn`);
  const button = page.getByRole("button", { name: "Gửi yêu cầu đặt lịch" });
  await button.dblclick();
  await expect(page).toHaveURL(/\/my-booking\?t=/);
  expect(posts).toBe(1);
  await expect(page.locator(".history li")).toHaveCount(1);
});

test("a wrong code and a wrong phone get the same answer", async ({ page }) => {
  const answers: string[] = [];
  for (const [code, phone] of [["ABCD-EFGH-JK", "0912345678"], ["ABCD-EFGH-JM", "0987654321"]]) {
    await page.goto("/my-booking");
    await page.locator("#f-code").fill(code);
    await page.locator("#f-phone").fill(phone);
    await page.getByRole("button", { name: "Tra cứu" }).click();
    const alert = page.locator(".error-summary");
    await expect(alert).toBeVisible();
    answers.push((await alert.textContent())!);
  }
  expect(answers[0]).toEqual(answers[1]);
});
