import { expect, test } from "@playwright/test";
import { waitForHydration } from "./helpers";

const REFUSED_VI = "Ngôn ngữ này chưa được hỗ trợ. Vui lòng chọn Tiếng Việt hoặc English.";

test("an unsupported language comes back as 422 and its message shows beside the switch", async ({ page }) => {
  await page.goto("/");
  await waitForHydration(page);
  // A tampered form: the server must refuse it, clearly and without a 500.
  await page.getByRole("button", { name: "English" }).evaluate((b) => ((b as HTMLButtonElement).value = "xx"));
  const response = page.waitForResponse("**/api/locale");
  await page.getByRole("button", { name: "English" }).click();

  const res = await response;
  expect(res.status()).toBe(422);
  const body = await res.json();
  expect(body).toEqual({
    kind: "validation",
    fields: [{ field: "locale", code: "unsupported_locale", message: REFUSED_VI }],
  });
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
