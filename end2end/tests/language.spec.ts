import { expect, test } from "@playwright/test";
import { waitForHydration } from "./helpers";

test("after hydration the language switch posts in the background, shows that it is working, then reloads in English", async ({ page }) => {
  await page.goto("/privacy");
  await waitForHydration(page);

  // Hold the answer back so the pending state can be seen.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/api/locale", async (route) => {
    await held;
    await route.continue();
  });
  const request = page.waitForRequest("**/api/locale");
  await page.getByRole("button", { name: "English" }).click();

  // Only a hydrated island can do this: a fetch, not a form navigation…
  expect((await request).resourceType()).toBe("fetch");
  // …with a visible pending state and no second submission possible.
  await expect(page.getByRole("status")).toHaveText("Đang chuyển ngôn ngữ…");
  await expect(page.getByRole("button", { name: "English" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Tiếng Việt" })).toBeDisabled();
  release();

  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveURL(/\/privacy$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Privacy and personal data protection");
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
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
