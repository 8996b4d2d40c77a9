import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { todayVN, uniqueCitizenId, waitForMail } from "./helpers";

const OFFICE = "tw-ha-noi";
const OFFICER = "canbo@tiepdan.local";
const PASSWORD = process.env.DEMO_PASSWORD ?? "tiepdan-demo";
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const JSON_ACCEPT = { accept: "application/json" };

type Slot = { id: number; starts_at: string; remaining: number };
type DeskSlot = { starts_at: string; capacity: number; taken: number; withdrawn: boolean };

async function bookSlot(request: APIRequestContext, slot: number) {
  const phone = "0987654321";
  const response = await request.post("/api/bookings/create", {
    headers: JSON_ACCEPT,
    form: {
      slot_id: String(slot),
      full_name: "Phạm Văn Đức",
      citizen_id: uniqueCitizenId(),
      phone,
      topic: "petition",
      summary: "Kiến nghị về việc cấp giấy chứng nhận quyền sử dụng đất.",
      party_size: "1",
      consent: "true",
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  return { code: (await response.json()).code as string, phone };
}

/** Fills `date` of the office: one booking in each of its times, and each
 * time's places brought down to its bookings by an officer, as the desk
 * does. Returns one of the bookings, for its citizen to cancel later. */
async function fillDay(request: APIRequestContext, date: string) {
  const login = await request.post("/api/staff/login", { headers: JSON_ACCEPT, form: { email: OFFICER, password: PASSWORD } });
  expect(login.status(), await login.text()).toBe(200);
  const slots: Slot[] = await (await request.get(`/api/slots?office=${OFFICE}&days=31`)).json();
  let first: { code: string; phone: string } | undefined;
  for (const slot of slots.filter((s) => s.starts_at.startsWith(date))) {
    const made = await bookSlot(request, slot.id);
    first ??= made;
  }
  const day = await (await request.get(`/api/staff/bookings?office=${OFFICE}&date=${date}`, { headers: JSON_ACCEPT })).json();
  for (const slot of day.slots as DeskSlot[]) {
    if (slot.withdrawn || slot.capacity === slot.taken) continue;
    const set = await request.post("/api/staff/slots/capacity", {
      headers: JSON_ACCEPT,
      form: { office: OFFICE, starts_at: slot.starts_at, capacity: String(Math.max(slot.taken, 1)) },
    });
    expect(set.status(), await set.text()).toBe(200);
  }
  await request.post("/api/staff/logout", { headers: JSON_ACCEPT });
  expect(first, `a time to book on ${date}`).toBeTruthy();
  return first!;
}

/** A weekday of the office far enough ahead that no other test books it;
 * the two runs take different days. */
async function quietDay(request: APIRequestContext, index: number) {
  const slots: Slot[] = await (await request.get(`/api/slots?office=${OFFICE}&days=31`)).json();
  const later = new Date(Date.parse(todayVN()) + 18 * 86_400_000).toISOString().slice(0, 10);
  const days = [...new Set(slots.map((s) => s.starts_at.slice(0, 10)))].filter((d) => d >= later).sort();
  expect(days.length, "days with reception three weeks ahead").toBeGreaterThan(index);
  return days[index];
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`JavaScript ${javaScriptEnabled ? "on" : "off"}`, () => {
    test.use({ javaScriptEnabled, locale: "vi-VN", viewport: { width: 360, height: 740 } });

    test(`a citizen joins the waiting list of a full day, is offered a freed place by e-mail and claims it`, async ({ page, request }) => {
      const date = await quietDay(request, javaScriptEnabled ? 0 : 1);
      const taker = await fillDay(request, date);
      const email = `wait-e2e-${uniqueCitizenId()}@example.vn`;

      // The full day in the calendar leads to its waiting list.
      await page.goto(`/book/${OFFICE}`);
      const dd = date.slice(8, 10).replace(/^0/, "");
      const cell = page
        .locator(".calendar a.day--full")
        .filter({ has: page.locator(".day__date", { hasText: new RegExp(`^${dd}/${date.slice(5, 7)}$`) }) });
      await expect(cell).toContainText("đăng ký chờ");
      await cell.click();
      await expect(page).toHaveURL(new RegExp(`/book/${OFFICE}/wait\\?day=${date}`));
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Danh sách chờ của ngày đã kín chỗ");

      // Without an e-mail the entry is refused, beside the field, with what
      // was typed kept.
      await page.getByLabel(/^Họ và tên/).fill("Vũ Thị Lan");
      await page.getByLabel(/^Số căn cước/).fill(uniqueCitizenId());
      await page.getByLabel(/^Số điện thoại/).fill("0911222333");
      await page.getByLabel("Khiếu nại", { exact: true }).check();
      await page.getByLabel(/^Tóm tắt nội dung/).fill("Khiếu nại việc chậm giải quyết hồ sơ đất đai.");
      await page.getByLabel(/Tôi đồng ý/).check();
      if (javaScriptEnabled) {
        const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
        expect(axe.violations).toEqual([]);
      }
      await page.getByRole("button", { name: "Đăng ký chờ" }).click();
      await expect(page.locator("#f-email-error")).toContainText("Vui lòng");
      await expect(page.getByLabel(/^Họ và tên/)).toHaveValue("Vũ Thị Lan");
      await page.getByLabel(/^E-mail/).fill(email);
      if (!(await page.getByLabel(/Tôi đồng ý/).isChecked())) await page.getByLabel(/Tôi đồng ý/).check();
      await page.getByRole("button", { name: "Đăng ký chờ" }).click();

      await expect(page).toHaveURL(/\/waitlist\?t=/);
      await expect(page.locator(".status")).toHaveText(/Đang chờ/);
      await expect(page.getByRole("status")).toContainText("vị trí thứ 1");
      if (javaScriptEnabled) {
        const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
        expect(axe.violations).toEqual([]);
      }

      // The confirmation e-mail carries the code and the link to the entry.
      const joined = await waitForMail(email, "danh sách chờ");
      expect(joined.text).toMatch(/\/waitlist\?t=\S+/);

      // A citizen with a place cancels it: the place is offered by e-mail.
      const cancelled = await request.post("/api/bookings/cancel", { headers: JSON_ACCEPT, form: taker });
      expect(cancelled.status(), await cancelled.text()).toBe(200);
      const mail = await waitForMail(email, "có chỗ trống");
      const link = mail.text!.match(/https?:\/\/\S+\/waitlist\?t=\S+/)![0];
      await page.goto(new URL(link).pathname + new URL(link).search);
      const offer = page.locator("#offer");
      await expect(offer.getByRole("heading", { name: "Đang giữ một chỗ cho ông/bà" })).toBeVisible();
      await expect(offer).toContainText("Giữ chỗ đến");
      if (javaScriptEnabled) {
        const axe = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
        expect(axe.violations).toEqual([]);
      }
      await offer.getByRole("button", { name: "Nhận chỗ này" }).click();

      // The ticket of the new booking, waiting for the office to confirm it.
      await expect(page).toHaveURL(/\/my-booking\?t=/);
      await expect(page.locator(".status")).toContainText("Chờ xác nhận");
      await expect(page.locator(".ticket__facts time")).toHaveAttribute("datetime", new RegExp(`^${date}`));
      await waitForMail(email, "đã nhận yêu cầu");
    });
  });
}
