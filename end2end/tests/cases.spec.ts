import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { theDayComes, todayVN, uniqueCitizenId, waitForMail } from "./helpers";

const OFFICE = "tw-ha-noi";
const OFFICER = "canbo@tiepdan.local";
const PASSWORD = process.env.DEMO_PASSWORD ?? "tiepdan-demo";
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

type Slot = { id: number; starts_at: string; remaining: number };

/** A status as the citizen's page shows it, after the words only screen
 * readers hear ("Tình trạng: "). */
function shownAs(status: string) {
  return new RegExp(`${status.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`);
}

function pretty(code: string) {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
}

/** A booking made today through the API, for the reception the case follows. */
async function bookToday(request: APIRequestContext, citizenId: string, email: string) {
  const slots = await (await request.get(`/api/slots?office=${OFFICE}&days=14`)).json();
  const open = slots.filter((s: Slot) => s.remaining > 0);
  const slot = open[Math.floor(Math.random() * open.length)];
  const response = await request.post("/api/bookings/create", {
    headers: { accept: "application/json" },
    form: {
      slot_id: String(slot.id),
      full_name: "Đặng Thị Hoa",
      citizen_id: citizenId,
      phone: "0912345678",
      email,
      topic: "complaint",
      summary: "Khiếu nại việc bồi thường khi thu hồi đất nông nghiệp.",
      party_size: "1",
      consent: "true",
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  const body = await response.json();
  return { code: body.code as string, date: (body.starts_at as string).slice(0, 10) };
}

async function signIn(page: Page, email: string) {
  await page.goto("/staff/sign-in");
  await page.getByLabel(/E-mail công vụ/).fill(email);
  await page.getByLabel(/Mật khẩu/).fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

/** A citizen's phone, with or without JavaScript. */
async function citizen(browser: Browser, javaScriptEnabled: boolean) {
  const context = await browser.newContext({
    locale: "vi-VN",
    javaScriptEnabled,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  return { context, page: await context.newPage() };
}

async function track(page: Page, code: string, verifier: string) {
  await page.goto("/track");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Theo dõi hồ sơ");
  await page.getByLabel(/^Mã hồ sơ/).fill(code);
  await page.getByLabel(/4 số cuối CCCD hoặc số điện thoại/).fill(verifier);
  await page.getByRole("button", { name: "Xem hồ sơ" }).click();
}

async function moveCase(page: Page, status: string, publicNote: string, internalNote: string) {
  await page.getByLabel("Bước tiếp theo").selectOption({ label: status });
  await page.getByLabel(/^Ghi chú công khai/).fill(publicNote);
  await page.getByLabel(/^Ghi chú nội bộ/).fill(internalNote);
  await page.getByRole("button", { name: "Lưu bước mới" }).click();
  await expect(page.getByRole("status")).toHaveText("Đã lưu thay đổi.");
  await expect(page.locator(".status").first()).toHaveText(status);
}

test.describe("cases", () => {

  test("an officer opens a case from a reception and moves it on; the citizen, without JavaScript, sees each step and gets the e-mails", async ({ page, browser, request }) => {
    const citizenId = uniqueCitizenId();
    const email = `case-e2e-${citizenId}@example.vn`;
    const booking = await bookToday(request, citizenId, email);

    // The reception: confirmed, checked in, then the case is opened from it.
    await signIn(page, OFFICER);
    await page.goto(`/staff?office=${OFFICE}&date=${booking.date}`);
    await page.locator(`#p-${booking.code}`).getByRole("button", { name: /^Xác nhận/ }).click();
    await expect(page.locator(`#s-${booking.code} .status`)).toHaveText("Đã xác nhận");
    theDayComes(booking.code);
    await page.goto(`/staff?office=${OFFICE}&date=${todayVN()}`);
    await page.locator(`#s-${booking.code}`).getByRole("button", { name: /^Đã đến/ }).click();
    await expect(page.locator(`#s-${booking.code} .status`)).toHaveText("Đã đến");
    const card = page.locator(`#s-${booking.code}`);
    await card.locator("summary", { hasText: "Mở hồ sơ" }).click();
    await card.getByLabel("Người dân muốn nhận e-mail ở mỗi bước").check();
    await card.getByRole("button", { name: /^Mở hồ sơ/ }).click();
    await expect(page).toHaveURL(/\/staff\/cases\/view\?code=/);
    const code = (await page.locator("h1 .ticket__code").getAttribute("data-code"))!;
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
    await expect(page.locator(".case-contact")).toContainText("Đặng Thị Hoa");
    await expect(page.locator(".status").first()).toHaveText("Đã tiếp nhận");
    await waitForMail(email, `${pretty(code)} – Đã tiếp nhận`);

    // The citizen, on a phone without JavaScript, finds it by code + CCCD.
    const { context, page: phone } = await citizen(browser, false);
    await track(phone, pretty(code).toLowerCase(), citizenId.slice(-4));
    await expect(phone).toHaveURL(/\/track\?t=/);
    await expect(phone.locator(".status")).toHaveText(shownAs("Đã tiếp nhận"));

    const steps: [string, string, string][] = [
      ["Đang xem xét, phân loại", "Đơn đang được phân loại.", "Kiểm tra thẩm quyền"],
      ["Đã thụ lý", "Đơn đã được thụ lý giải quyết.", "Giao tổ xác minh 2"],
      ["Đang xác minh", "Đoàn xác minh làm việc tại xã.", "Hẹn UBND xã thứ Hai"],
      ["Đã có quyết định / kết luận", "Đã ban hành quyết định giải quyết.", "Lưu hồ sơ kho 3"],
    ];
    for (const [status, publicNote, internalNote] of steps) {
      await moveCase(page, status, publicNote, internalNote);
      await phone.reload();
      await expect(phone.locator(".status")).toHaveText(shownAs(status));
      const latest = phone.locator(".timeline li").first();
      await expect(latest).toContainText(status);
      await expect(latest).toContainText(publicNote);
      await expect(phone.locator("main")).not.toContainText(internalNote);
      const mail = await waitForMail(email, `${pretty(code)} – ${status}`);
      expect(mail.text).toContain(publicNote);
      expect(mail.text).not.toContain(internalNote);
      expect(mail.subject).not.toContain("Đặng");
    }
    await expect(phone.locator(".timeline li")).toHaveCount(5);
    // The deadline of the resolution showed while it ran; none after.
    await expect(phone.locator("dl")).not.toContainText("Thời hạn của bước hiện tại");
    await context.close();
  });

  test("a citizen with JavaScript looks a case up, a wrong second factor reads like a wrong code, and opts in to e-mails", async ({ page, browser }) => {
    // Four axe scans and an e-mail round trip: more than the default 30 s
    // on a busy two-core machine.
    test.setTimeout(60_000);
    // An officer registers a letter that came by post.
    await signIn(page, OFFICER);
    await page.goto("/staff/cases");
    await expectNoAxeViolations(page);
    await page.locator("summary", { hasText: "Mở hồ sơ mới" }).click();
    await page.getByLabel("Trụ sở").last().selectOption(OFFICE);
    await page.getByLabel("Loại đơn").last().selectOption({ label: "Tố cáo" });
    await page.getByLabel("Nguồn đơn").selectOption({ label: "Đường bưu chính" });
    await page.getByLabel(/^Họ và tên/).fill("Vũ Văn Khánh");
    const citizenId = uniqueCitizenId();
    await page.getByLabel(/^Số căn cước/).fill(citizenId);
    await page.getByLabel(/^Số điện thoại/).fill("0987 654 321");
    await page.getByLabel(/^Tóm tắt nội dung/).fill("Tố cáo cán bộ địa chính xã nhận tiền khi làm thủ tục.");
    await page.getByRole("button", { name: "Mở hồ sơ" }).click();
    await expect(page).toHaveURL(/\/staff\/cases\/view\?code=/);
    const code = (await page.locator("h1 .ticket__code").getAttribute("data-code"))!;
    // A denunciation waits for a supervisor to assign it: until then not
    // even the officer who typed it in sees the denouncer.
    await expect(page.locator(".case-contact")).toContainText("[Được bảo mật]");
    await expect(page.locator("main")).not.toContainText("Vũ Văn Khánh");
    await expectNoAxeViolations(page);
    await moveCase(page, "Đang xem xét, phân loại", "Đơn đang được phân loại.", "Xác minh chữ ký");

    const { context, page: phone } = await citizen(browser, true);
    await track(phone, code, "0000");
    await expect(phone.locator("#track-errors")).toContainText("Không tìm thấy");
    const wrongFactor = await phone.locator("#track-errors").textContent();
    await track(phone, "ABCDEFGHJK", citizenId.slice(-4));
    await expect(phone.locator("#track-errors")).toHaveText(wrongFactor!);
    await expectNoAxeViolations(phone);

    await track(phone, code, "0987654321");
    await expect(phone.locator(".status")).toHaveText(shownAs("Đang xem xét, phân loại"));
    await expect(phone.locator(".timeline li")).toHaveCount(2);
    await expect(phone.locator(".timeline li").first()).toContainText("Đơn đang được phân loại.");
    await expect(phone.locator("main")).not.toContainText("Xác minh chữ ký");
    await expect(phone.locator("main")).toContainText("Thời hạn của bước hiện tại");
    await expectNoAxeViolations(phone);

    const email = `case-e2e-${citizenId}@example.vn`;
    await phone.getByLabel(/^E-mail/).fill(email);
    await phone.getByRole("button", { name: "Nhận e-mail ở mỗi bước" }).click();
    // A new address is taken once it confirms, through a link sent to it.
    await expect(phone.getByRole("status")).toContainText("Đã gửi đường dẫn xác nhận");
    await expect(phone.locator("#notify")).toContainText("Ông/bà chưa đăng ký nhận e-mail.");
    const confirm = await waitForMail(email, "xác nhận e-mail");
    const link = confirm.text!.split(/\s+/).find((w) => w.includes("/track/email?t="))!;
    await phone.goto(link);
    await expectNoAxeViolations(phone);
    await phone.getByRole("button", { name: "Xác nhận địa chỉ này" }).click();
    await expect(phone).toHaveURL(/\/track\?t=.*email_confirmed=1/);
    await expect(phone.getByRole("status")).toHaveText("Đã xác nhận địa chỉ e-mail mới.");
    await expect(phone.locator("#notify")).toContainText("Ông/bà đang nhận e-mail ở mỗi bước.");

    await moveCase(page, "Đã thụ lý", "Đơn tố cáo đã được thụ lý.", "");
    const mail = await waitForMail(email, `${pretty(code)} – Đã thụ lý`);
    expect(mail.subject).not.toContain("Vũ");
    expect(mail.text).toContain("/track?t=");
    await context.close();
  });
});
