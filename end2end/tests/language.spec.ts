import { expect, test } from "@playwright/test";

// The switch is a plain form with JavaScript on or off: a page without a
// form to check loads no code for it.
test("with JavaScript the language switch posts as a plain form and comes back to the same page in English", async ({ page }) => {
  const code: string[] = [];
  page.on("request", (r) => {
    if (/\/pkg\/.*\.(js|wasm)$/.test(new URL(r.url()).pathname)) code.push(r.url());
  });
  await page.goto("/privacy");
  const request = page.waitForRequest("**/api/locale");
  await page.getByRole("button", { name: "English" }).click();
  // A navigation, not a fetch: no island is behind the switch.
  expect((await request).resourceType()).toBe("document");

  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveURL(/\/privacy$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Privacy and personal data protection");
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
  expect(code).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the language switch is a plain form that brings the citizen back to the same page", async ({ page, context }) => {
    await page.goto("/contact");
    await page.getByRole("button", { name: "English" }).click();
    await expect(page).toHaveURL(/\/contact$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Contact");

    const cookie = (await context.cookies()).find((c) => c.name === "lang");
    expect(cookie?.value).toBe("en");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");

    // The choice is remembered on the next visit…
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Book a citizen reception appointment");
    await expect(page.locator("article.office").first()).toContainText("Monday – Friday");

    // …and can be undone.
    await page.getByRole("button", { name: "Tiếng Việt" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  });
});

test.describe("browser language", () => {
  test.use({ locale: "en-GB", javaScriptEnabled: false });

  test("an English browser gets English without choosing", async ({ page }) => {
    await page.goto("/");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("heading", { level: 2, name: "Reception offices" })).toBeVisible();
  });
});
