import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { ISLAND_PAGES, waitForFormGuard } from "./helpers";

for (const path of ["/", "/contact", "/privacy", "/khong-co-trang-nay", "/book/tw-ha-noi", "/my-booking", "/track"]) {
  test(`axe finds nothing on ${path}`, async ({ page }) => {
    await page.goto(path);
    // With its island live, where the page has one.
    if (ISLAND_PAGES.includes(path)) await waitForFormGuard(page);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
  });
}

test("axe finds nothing in English either", async ({ page, context }) => {
  await context.addCookies([{ name: "lang", value: "en", url: test.info().project.use.baseURL! }]);
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => v.id)).toEqual([]);
});
