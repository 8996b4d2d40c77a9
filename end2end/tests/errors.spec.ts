import { expect, test } from "@playwright/test";

const REFUSED_VI = "Ngôn ngữ này chưa được hỗ trợ. Vui lòng chọn Tiếng Việt hoặc English.";

test("an unsupported language is a 422 for an API client, with the field's message", async ({ request }) => {
  const res = await request.post("/api/locale", {
    headers: { accept: "application/json" },
    form: { locale: "xx", next: "/" },
  });
  expect(res.status()).toBe(422);
  expect(await res.json()).toEqual({
    kind: "validation",
    fields: [{ field: "locale", code: "unsupported_locale", message: REFUSED_VI }],
  });
});

test("with JavaScript a tampered switch comes back with the message beside it", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "English" }).evaluate((b) => ((b as HTMLButtonElement).value = "xx"));
  await page.getByRole("button", { name: "English" }).click();
  await expect(page).toHaveURL(/\/\?/);
  await expect(page.getByRole("alert")).toHaveText(REFUSED_VI);
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the same refusal is rendered by the server after the form posts", async ({ page }) => {
    await page.goto("/privacy");
    await page.getByRole("button", { name: "English" }).evaluate((b) => ((b as HTMLButtonElement).value = "xx"));
    await page.getByRole("button", { name: "English" }).click();
    await expect(page).toHaveURL(/\/privacy\?/);
    await expect(page.getByRole("alert")).toHaveText(REFUSED_VI);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quyền riêng tư và bảo vệ dữ liệu cá nhân");
  });
});
