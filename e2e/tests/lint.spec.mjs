// The linter's findings in the playground: loading the hybrid preset (the
// pause annotation on the Deployment) shows RC201 as a warning at its line,
// in the gutter and in the problems list, linked to its rule's docs.
import { test, expect } from "@playwright/test";
import { open, shot, watchConsole } from "./helpers.mjs";

test("the hybrid preset shows the pause-annotation finding at its line", async ({ page }, testInfo) => {
  const console = watchConsole(page);
  await open(page, "#p=hybrid-paused");
  await expect(page.locator("#view-manifests")).toHaveAttribute("aria-pressed", "true");
  const text = await page.locator("#editor").inputValue();
  const line = text.split("\n").findIndex((l) => l.includes("autoscaling.keda.sh/paused")) + 1;
  expect(line).toBeGreaterThan(0);

  const item = page.locator(`#problems li:has(.problem.warning[data-line="${line}"])`);
  await expect(item).toContainText("only from a ScaledObject or ScaledJob");
  await expect(item.locator("a.rule")).toHaveText("RC201");
  await expect(item.locator("a.rule")).toHaveAttribute("href", /\/docs\/rules\.md#rc201$/);
  await expect(page.locator(".gutter .ln.warn", { hasText: new RegExp(`^${line}$`) })).toHaveCount(1);
  await shot(page, testInfo, "lint-finding");
  console.check();
});
