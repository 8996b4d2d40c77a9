import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import { freshLimitWindow, theDayComes, todayVN, totp, uniqueCitizenId, waitForMail } from "./helpers";

const OFFICE = "tw-ha-noi";
const RECEPTIONIST = "letan@tiepdan.local";
const ADMIN = "quantri@tiepdan.local";
const OFFICER = "canbo@tiepdan.local";
// Signed in as by no other test: the throttling test fills its window.
const SUPERVISOR = "truong@tiepdan.local";
const PASSWORD = process.env.DEMO_PASSWORD ?? "tiepdan-demo";
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

type Booked = { code: string; date: string; email: string; phone: string };
type Slot = { id: number; starts_at: string; remaining: number };

/** A citizen's booking made through the API, at a random open slot of the
 * coming days, never today (tests running side by side must not fill one
 * slot, and the desk's tests show what happens before the day comes). */
async function book(request: APIRequestContext, name: string, office = OFFICE, date?: string): Promise<Booked> {
  const slots = await (await request.get(`/api/slots?office=${office}&days=${date ? 31 : 14}`)).json();
  const today = todayVN();
  const open = slots.filter(
    (s: Slot) => s.remaining > 0 && !s.starts_at.startsWith(today) && (!date || s.starts_at.startsWith(date)),
  );
  const slot = open[Math.floor(Math.random() * open.length)];
  const citizenId = uniqueCitizenId();
  const email = `staff-e2e-${citizenId}@example.vn`;
  const phone = "0912345678";
  const response = await request.post("/api/bookings/create", {
    headers: { accept: "application/json" },
    form: {
      slot_id: String(slot.id),
      full_name: name,
      citizen_id: citizenId,
      phone,
      email,
      topic: "complaint",
      summary: "Khiếu nại quyết định thu hồi đất của UBND xã.",
      party_size: "1",
      consent: "true",
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  const body = await response.json();
  return { code: body.code, date: body.starts_at.slice(0, 10), email, phone };
}

function pretty(code: string) {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

async function signIn(page: Page, email: string) {
  await page.goto("/staff");
  // Without a session the desk sends you to sign in.
  await expect(page).toHaveURL(/\/staff\/sign-in$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đăng nhập cán bộ");
  await page.getByLabel(/E-mail công vụ/).fill(email);
  await page.getByLabel(/Mật khẩu/).fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/staff$/);
}

async function openDay(page: Page, date: string) {
  await page.getByLabel("Trụ sở", { exact: true }).selectOption(OFFICE);
  await page.getByLabel("Ngày", { exact: true }).fill(date);
  await page.getByRole("button", { name: "Xem" }).click();
  await expect(page).toHaveURL(new RegExp(`date=${date}`));
  await expect(page.locator(".desk-date")).toHaveText(date.split("-").reverse().join("/"));
}

test("the front desk confirms, checks in by code and completes; the citizen sees it and gets the e-mail", async ({ page, browser, request }) => {
  const booking = await book(request, "Trần Thị Bình");
  await signIn(page, RECEPTIONIST);
  await expect(page.getByText(/Đang đăng nhập: Lễ tân/)).toBeVisible();
  await openDay(page, booking.date);

  // The request waits in the pending list, with what the desk needs to know.
  const pending = page.locator(`#p-${booking.code}`);
  await expect(pending).toContainText("Trần Thị Bình");
  await expect(pending).toContainText(pretty(booking.code));
  await expect(pending.locator(".status")).toHaveText("Chờ xác nhận");
  await pending.getByRole("button", { name: /^Xác nhận/ }).click();
  await expect(page.locator("#desk-flash")).toHaveText(`Lịch hẹn ${pretty(booking.code)}: Đã xác nhận.`);
  await expect(page.locator(`#p-${booking.code}`)).toHaveCount(0);
  await expect(page.locator(`#s-${booking.code} .status`)).toHaveText("Đã xác nhận");

  // The citizen's own look-up says so, and the e-mail came.
  const citizen = await browser.newContext({ locale: "vi-VN" });
  const citizenPage = await citizen.newPage();
  await citizenPage.goto("/my-booking");
  await citizenPage.getByLabel(/Mã lịch hẹn/).fill(booking.code);
  await citizenPage.getByLabel(/Số điện thoại/).fill(booking.phone);
  await citizenPage.getByRole("button", { name: "Tra cứu" }).click();
  await expect(citizenPage.locator(".status")).toContainText("Đã xác nhận");
  await citizen.close();
  const mail = await waitForMail(booking.email, "đã được xác nhận");
  expect(mail.text).toContain("/my-booking?t=");

  // Not before the day: the check-in is refused, said so at the form.
  await page.getByLabel(/^Mã/).fill(pretty(booking.code));
  await page.getByRole("button", { name: "Xác nhận đã đến" }).click();
  await expect(page.locator(".check-in-form .error-summary")).toContainText("đúng ngày hẹn");

  // The day comes. Check in by typing the code as it is read out: lower
  // case, with dashes.
  theDayComes(booking.code);
  await openDay(page, todayVN());
  await page.getByLabel(/^Mã/).fill(pretty(booking.code).toLowerCase());
  await page.getByRole("button", { name: "Xác nhận đã đến" }).click();
  await expect(page.locator("#desk-flash")).toHaveText(`Lịch hẹn ${pretty(booking.code)}: Đã đến.`);
  await page.locator(`#s-${booking.code}`).getByRole("button", { name: /^Đã tiếp xong/ }).click();
  await expect(page.locator(`#s-${booking.code} .status`)).toHaveText("Đã tiếp");

  // A code that is not a booking is answered beside the field.
  await page.getByLabel(/^Mã/).fill("2222-2222-22");
  await page.getByRole("button", { name: "Xác nhận đã đến" }).click();
  await expect(page.locator(".check-in-form .error-summary")).toContainText("Không tìm thấy");
});

test("rejecting asks for a reason, which reaches the citizen", async ({ page, request }) => {
  const booking = await book(request, "Lê Văn Cường");
  await signIn(page, RECEPTIONIST);
  await page.goto(`/staff?office=${OFFICE}&date=${booking.date}`);
  const card = page.locator(`#p-${booking.code}`);
  await card.locator("summary", { hasText: "Từ chối" }).click();
  const reason = "Nội dung thuộc thẩm quyền của UBND cấp tỉnh.";
  await card.getByLabel(/Lý do từ chối/).fill(reason);
  await card.getByRole("button", { name: /^Từ chối lịch hẹn/ }).click();
  await expect(page.locator("#desk-flash")).toHaveText(`Lịch hẹn ${pretty(booking.code)}: Bị từ chối.`);
  await expect(page.locator(`#s-${booking.code} .status`)).toHaveText("Bị từ chối");
  const mail = await waitForMail(booking.email, "không được chấp nhận");
  expect(mail.text).toContain(reason);
});

test("sign-out ends the session", async ({ page }) => {
  await signIn(page, RECEPTIONIST);
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page).toHaveURL(/\/staff\/sign-in\?signed_out=1/);
  await expect(page.getByText("Bạn đã đăng xuất.")).toBeVisible();
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/staff\/sign-in$/);
});

test("sign-in failures read the same and are throttled", async ({ browser }) => {
  // Up to a minute's wait for a window of its own, on top of the usual 30 s.
  test.setTimeout(100_000);
  await freshLimitWindow();
  // A client of its own (through the trusted local proxy), so the limit it
  // reaches does not lock the other tests out.
  const client = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
  const context = await browser.newContext({ locale: "vi-VN", extraHTTPHeaders: { "x-forwarded-for": client } });
  const page = await context.newPage();
  for (let i = 0; i < 5; i++) {
    await page.goto("/staff/sign-in");
    await page.getByLabel(/E-mail công vụ/).fill(i % 2 ? SUPERVISOR : `khong-co-${i}@tiepdan.local`);
    await page.getByLabel(/Mật khẩu/).fill("sai-mat-khau");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await expect(page.locator("#sign-in-error")).toHaveText("E-mail hoặc mật khẩu không đúng.");
  }
  await page.getByLabel(/E-mail công vụ/).fill(SUPERVISOR);
  await page.getByLabel(/Mật khẩu/).fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.locator("#sign-in-error")).toHaveText(/quá nhiều lần/);
  await expect(page).toHaveURL(/\/staff\/sign-in/);
  await context.close();
});

test("the administrator enrols a second factor, and axe finds nothing on the staff pages", async ({ page, request }, testInfo) => {
  // One demo administrator, who enrols once: one viewport does it.
  test.skip(testInfo.project.name !== "phone", "the admin enrols once");
  // Enrolment, then an axe scan of eight pages: more than the default 30 s
  // on a busy two-core machine.
  test.setTimeout(90_000);
  const booking = await book(request, "Phạm Minh Đức");
  await page.goto("/staff/sign-in");
  let results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);

  await signInAdmin(page, true);
  await page.goto(`/staff?office=${OFFICE}&date=${booking.date}`);
  await page.locator(`#p-${booking.code} summary`).first().click();
  results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);

  await page.getByRole("link", { name: "Nhật ký thao tác" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nhật ký thao tác");
  await expect(page.locator(".audit-table")).toContainText("staff.sign_in");
  results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);

  await page.getByRole("link", { name: "Lịch làm việc" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Lịch làm việc");
  results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);

  await page.getByRole("link", { name: "Tài khoản" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tài khoản cán bộ");
  await expect(page.locator(".desk-card", { hasText: RECEPTIONIST })).toBeVisible();
  await page.locator("details summary", { hasText: "Sửa vai trò" }).first().click();
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Thư chưa gửi" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thư chưa gửi được");
  await expectNoAxeViolations(page);
  await page.getByRole("link", { name: "Đổi mật khẩu" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đổi mật khẩu");
  await expectNoAxeViolations(page);
  await page.goto("/staff/set-password?t=khong-hop-le");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đặt mật khẩu");
  await expectNoAxeViolations(page);
});

test("closing a day cancels its bookings and e-mails each citizen the reason", async ({ page, request }, testInfo) => {
  // The other office, two to four weeks ahead, and a different half of
  // those days per viewport: the citizen tests book the coming days of the
  // first office, so nothing else runs into the closed day.
  const office = "thanh-tra-chinh-phu";
  const slots = await (await request.get(`/api/slots?office=${office}&days=31`)).json();
  const days = [...new Set(slots.filter((s: Slot) => s.remaining > 0).map((s: Slot) => s.starts_at.slice(0, 10)))].slice(10) as string[];
  const half = Math.floor(days.length / 2);
  const mine = testInfo.project.name === "phone" ? days.slice(0, half) : days.slice(half);
  const date = mine[Math.floor(Math.random() * mine.length)];
  const first = await book(request, "Đỗ Thị Hoa", office, date);
  const second = await book(request, "Vũ Văn Hùng", office, date);

  await signIn(page, OFFICER);
  await page.getByRole("link", { name: "Lịch làm việc" }).click();
  await page.getByLabel("Trụ sở", { exact: true }).selectOption(office);
  await page.getByRole("button", { name: "Xem" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Thanh tra Chính phủ");

  // The reason is required, and said so beside the field.
  await page.locator("#close-date").fill(date);
  await page.getByRole("button", { name: "Nghỉ ngày này và hủy các lịch hẹn" }).click();
  await expect(page.locator("#close-reason-error")).toHaveText("Vui lòng điền thông tin này.");

  const reason = "Trụ sở tổ chức hội nghị toàn ngành.";
  await page.locator("#close-date").fill(date);
  await page.getByLabel(/Lý do \(gửi cho công dân\)/).fill(reason);
  await page.getByRole("button", { name: "Nghỉ ngày này và hủy các lịch hẹn" }).click();
  await expect(page.locator("#schedule-flash")).toHaveText("Đã lưu thay đổi.");
  const day = date.split("-").reverse().join("/");
  await expect(page.locator(".rule-list")).toContainText(day);

  for (const booking of [first, second]) {
    const mail = await waitForMail(booking.email, "hủy");
    expect(mail.text).toContain(reason);
    expect(mail.text).toContain(`/book/${office}`);
  }
  const lookup = await request.post("/api/bookings/lookup", { headers: { accept: "application/json" }, form: { code: first.code, phone: first.phone } });
  expect((await lookup.json()).status).toBe("cancelled");

  // Open it again so later runs find the day as it was.
  await page.getByRole("button", { name: `Mở lại ${day}` }).click();
  await expect(page.locator("#schedule-flash")).toHaveText("Đã lưu thay đổi.");
});

/** Signs the demo administrator in: password, then the authenticator code,
 * enrolling first when this database has never seen them. The secret is
 * kept in test-results/ for a later run against the same database. */
async function signInAdmin(page: Page, checkPages = false) {
  const secretFile = path.join(__dirname, "..", "test-results", ".admin-totp-secret");
  await page.goto("/staff/sign-in");
  await page.getByLabel(/E-mail công vụ/).fill(ADMIN);
  await page.getByLabel(/Mật khẩu/).fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/staff\/sign-in\/(enroll|code)$/);
  if (page.url().endsWith("/enroll")) {
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bật xác thực hai bước");
    await expect(page.locator(".enroll-qr svg")).toBeVisible();
    if (checkPages) await expectNoAxeViolations(page);
    const secret = (await page.locator(".enroll-key").getAttribute("data-secret"))!;
    // A wrong code first: refused, and said so.
    await page.getByLabel(/Mã 6 chữ số/).fill("000000");
    await page.getByRole("button", { name: "Bật xác thực hai bước" }).click();
    await expect(page.locator("#code-error")).toHaveText("Mã không đúng hoặc đã được dùng.");
    await page.getByLabel(/Mã 6 chữ số/).fill(totp(secret));
    await page.getByRole("button", { name: "Bật xác thực hai bước" }).click();
    await expect(page).toHaveURL(/\/staff\/recovery-codes$/);
    await expect(page.locator(".recovery-codes li")).toHaveCount(10);
    if (checkPages) await expectNoAxeViolations(page);
    fs.mkdirSync(path.dirname(secretFile), { recursive: true });
    fs.writeFileSync(secretFile, secret);
    await page.getByRole("link", { name: /Tôi đã lưu các mã/ }).click();
    // Shown once only.
    await page.goto("/staff/recovery-codes");
    await expect(page.getByText("Các mã khôi phục chỉ hiện một lần")).toBeVisible();
  } else {
    const secret = fs.readFileSync(secretFile, "utf8");
    // The code of the next step: the one of this step may have been used.
    await page.getByLabel(/Mã xác thực hoặc mã khôi phục/).fill(totp(secret, Date.now() + 30_000));
    await page.getByRole("button", { name: "Xác nhận" }).click();
  }
  await page.goto("/staff");
  await expect(page).toHaveURL(/\/staff$/);
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
}

test("a ticket's QR code checks the citizen in, where the camera can read it", async ({ page, request }) => {
  const booking = await book(request, "Ngô Thị Lan");
  // A camera and a QR reader that sees this ticket: Debian's Chromium has
  // neither, so both are stood in for in the page; the desk's own script and
  // form do the rest.
  await page.addInitScript((code) => {
    (window as unknown as { BarcodeDetector: unknown }).BarcodeDetector = class {
      async detect() {
        return [{ rawValue: code }];
      }
    };
    navigator.mediaDevices.getUserMedia = async () => {
      const canvas = document.createElement("canvas");
      canvas.width = 64;
      canvas.height = 64;
      canvas.getContext("2d")!.fillRect(0, 0, 64, 64);
      return canvas.captureStream(5);
    };
  }, booking.code);
  await signIn(page, RECEPTIONIST);
  await page.goto(`/staff?office=${OFFICE}&date=${booking.date}`);
  await page.locator(`#p-${booking.code}`).getByRole("button", { name: /^Xác nhận/ }).click();
  await expect(page.locator("#desk-flash")).toHaveText(`Lịch hẹn ${pretty(booking.code)}: Đã xác nhận.`);
  theDayComes(booking.code);
  await page.goto(`/staff?office=${OFFICE}&date=${todayVN()}`);

  await page.getByRole("button", { name: "Quét mã QR trên phiếu hẹn" }).click();
  await expect(page.locator("#desk-flash")).toHaveText(`Lịch hẹn ${pretty(booking.code)}: Đã đến.`);
});

test("without a QR reader the scan button stays hidden and typing works", async ({ page }) => {
  await signIn(page, RECEPTIONIST);
  await expect(page.getByRole("button", { name: "Quét mã QR trên phiếu hẹn" })).toBeHidden();
  await expect(page.getByLabel(/^Mã/)).toBeVisible();
});

for (const javaScriptEnabled of [true, false]) {
  test(`the desk proposes another time; the citizen accepts it from the e-mail link (JavaScript ${javaScriptEnabled ? "on" : "off"})`, async ({ page, browser, request }, testInfo) => {
    const booking = await book(request, "Đỗ Thị Hoa");
    // Another slot of the office with room, on another day than the booking:
    // its own for each of the four runs (two viewports, JavaScript on and
    // off), which run at once, and from the end of the fortnight, which
    // other tests leave alone. The first free slot could have one place left
    // that another run's proposal takes first.
    const slots = await (await request.get(`/api/slots?office=${OFFICE}&days=14`)).json();
    const today = todayVN();
    const free = slots.filter((s: Slot) => s.remaining > 0 && !s.starts_at.startsWith(today) && !s.starts_at.startsWith(booking.date));
    const run = (testInfo.project.name === "phone" ? 0 : 2) + (javaScriptEnabled ? 0 : 1);
    const other = free[free.length - 1 - run];
    expect(other, "an open slot on another day").toBeTruthy();
    const at: string = other.starts_at.slice(0, 16);

    await signIn(page, RECEPTIONIST);
    await openDay(page, booking.date);
    const card = page.locator(`#p-${booking.code}`);
    await card.getByText(/^Đề xuất giờ khác/).click();
    await card.getByLabel("Ngày và giờ bắt đầu").fill(at);
    await card.getByLabel(/Lời nhắn cho công dân/).fill("Buổi này đã kín, mời ông/bà đến giờ khác.");
    await card.getByRole("button", { name: /^Gửi đề xuất/ }).click();
    await expect(page.locator("#desk-flash")).toHaveText(`Đã gửi đề xuất giờ khác cho lịch hẹn ${pretty(booking.code)}.`);
    await expect(page.locator(`#p-${booking.code} .desk-card__proposed`)).toContainText("đang chờ công dân trả lời");

    const mail = await waitForMail(booking.email, "đề xuất giờ khác");
    expect(mail.text).toContain("Buổi này đã kín");
    const link = mail.text!.match(/https?:\/\/\S+\/my-booking\?t=[^#\s]+/)![0];
    const citizen = await browser.newContext({ locale: "vi-VN", javaScriptEnabled, viewport: { width: 360, height: 740 } });
    const citizenPage = await citizen.newPage();
    await citizenPage.goto(new URL(link).pathname + new URL(link).search + "#proposal");
    const proposal = citizenPage.locator("#proposal");
    await expect(proposal.getByRole("heading", { name: "Trụ sở đề xuất một giờ khác" })).toBeVisible();
    await expect(proposal).toContainText("Buổi này đã kín");
    if (javaScriptEnabled) {
      // axe runs as a script in the page: the JavaScript-on run checks it.
      const axe = await new AxeBuilder({ page: citizenPage }).withTags(AXE_TAGS).analyze();
      expect(axe.violations).toEqual([]);
    }
    await proposal.getByRole("button", { name: "Nhận giờ này" }).click();
    await expect(citizenPage.locator(".status")).toContainText("Đã xác nhận");
    await expect(citizenPage.locator("#proposal")).toHaveCount(0);
    await expect(citizenPage.locator(".ticket__facts time")).toHaveAttribute("datetime", other.starts_at);
    await citizen.close();
    await waitForMail(booking.email, "đã được xác nhận");
  });
}

test("places kept back in a slot are not bookable online; the desk books a priority citizen into one", async ({ page, request }, testInfo) => {
  // Three weeks ahead and past the waiting list's two quiet days, one day
  // per viewport: nothing else books this day.
  const slots: Slot[] = await (await request.get(`/api/slots?office=${OFFICE}&days=31`)).json();
  const later = new Date(Date.parse(todayVN()) + 18 * 86_400_000).toISOString().slice(0, 10);
  const days = [...new Set(slots.map((s) => s.starts_at.slice(0, 10)))].filter((d) => d >= later).sort();
  const date = days[testInfo.project.name === "phone" ? 4 : 5];
  expect(date, "a quiet day with reception").toBeTruthy();
  const slot = slots.find((s) => s.starts_at.startsWith(date))!;

  await signIn(page, OFFICER);
  await openDay(page, date);
  const block = page.locator(".desk-slot", { has: page.locator(`time[datetime="${slot.starts_at}"]`) });
  await block.locator("summary", { hasText: "Điều chỉnh khung giờ" }).click();
  const capacity = await block.getByLabel("Số chỗ mỗi lượt").inputValue();
  await block.getByLabel("Giữ cho người đến trực tiếp").fill("0");
  await block.getByLabel("Giữ cho diện ưu tiên").fill(capacity);
  await block.getByRole("button", { name: /^Lưu chỗ giữ lại/ }).click();
  await expect(page.locator("#desk-flash")).toHaveText("Đã lưu số chỗ giữ lại của khung giờ.");
  await expect(block.locator(".desk-slot__kept")).toContainText(`${capacity} ưu tiên`);

  // Citizens no longer see the time; booking it anyway is refused.
  const listed: Slot[] = await (await request.get(`/api/slots?office=${OFFICE}&from=${date}&days=1`)).json();
  expect(listed.map((s) => s.id)).not.toContain(slot.id);
  const online = await request.post("/api/bookings/create", {
    headers: { accept: "application/json" },
    form: {
      slot_id: String(slot.id), full_name: "Ngô Văn Tâm", citizen_id: uniqueCitizenId(), phone: "0912345678",
      topic: "complaint", summary: "Khiếu nại quyết định thu hồi đất của UBND xã.", party_size: "1", consent: "true",
    },
  });
  expect(online.status()).toBe(409);

  // The desk books an elderly citizen who phoned into the kept place.
  const form = page.locator("#priority-heading").locator("xpath=ancestor::section[1]");
  await page.locator("summary", { has: page.locator("#priority-heading") }).click();
  await expectNoAxeViolations(page);
  await form.getByLabel("Khung giờ").selectOption(slot.starts_at);
  await form.getByLabel("Diện ưu tiên").selectOption("elderly");
  await form.getByLabel("Họ và tên").fill("Lê Thị Nga");
  await form.getByLabel("Số CCCD").fill(uniqueCitizenId());
  await form.getByLabel("Số điện thoại").fill("0987654321");
  await form.getByLabel("Nội dung", { exact: true }).fill("Kiến nghị về chế độ chính sách cho người cao tuổi.");
  await form.getByRole("button", { name: "Đặt và xác nhận lịch hẹn" }).click();
  await expect(page.locator("#desk-flash")).toContainText("Đã xác nhận");
  const card = page.locator(".desk-card", { hasText: "Lê Thị Nga" });
  await expect(card).toContainText("Ưu tiên: Người cao tuổi");
  await expect(card.locator(".status").first()).toHaveText("Đã xác nhận");
  await expect(block.locator(".desk-slot__kept")).toContainText(`(${Number(capacity) - 1} còn giữ)`);
});
