// Dragging the time cursor over the charts updates the readout: the time,
// the replicas, queue and latency, each metric against its target and the
// last decision's explanation. The slider and the decision buttons do the
// same from the keyboard.
import { test, expect } from "@playwright/test";
import { open, readout, shot, watchConsole } from "./helpers.mjs";

/** Seconds from an `h:mm:ss` text. */
const secs = (t) => t.split(":").map(Number).reduce((a, b) => a * 60 + b, 0);

test("dragging the cursor across a chart updates the readout", async ({ page }, testInfo) => {
  const console = watchConsole(page);
  await open(page);
  const plot = page.locator(".plot").first();
  const box = await plot.boundingBox();
  const geometry = await page.locator(".cursor-line").first().evaluate((el) => el.offsetLeft);
  expect(geometry).toBeGreaterThan(0);

  // Drag from 15 % to 60 % of the plot, stopping on the way.
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * 0.15, y);
  await page.mouse.down();
  const seen = [await readout(page)];
  for (const f of [0.2, 0.3, 0.45, 0.6]) {
    await page.mouse.move(box.x + box.width * f, y, { steps: 4 });
    // Pointer moves reach the page with the next frame.
    const previous = seen.at(-1).time;
    await expect(page.locator("#readout-time")).not.toHaveText(previous);
    seen.push(await readout(page));
  }
  await page.mouse.up();
  seen.shift();
  const times = seen.map((r) => secs(r.time));
  for (let i = 1; i < times.length; i++) expect(times[i], "the time moves with the pointer").toBeGreaterThan(times[i - 1]);
  // What the readout shows changes with the time: load, queue, metrics, decision.
  const rows = (r) => JSON.stringify([r.load, r.desired, r.ready, r.queue, r.latency, r.decisions]);
  expect(new Set(seen.map(rows)).size, "readouts along the drag").toBeGreaterThan(1);
  expect(seen.at(-1)["metric-cpu"][0]).toMatch(/of 70%/);
  // The cursor line sits under the pointer (±3 px).
  const line = await page.locator(".cursor-line").first().boundingBox();
  expect(Math.abs(line.x - (box.x + box.width * 0.6))).toBeLessThan(3);
  await shot(page, testInfo, "scrubbed");
  console.check();
});

test("the cursor moves from the keyboard and jumps between decisions", async ({ page }) => {
  const console = watchConsole(page);
  await open(page);
  const cursor = page.locator("#cursor");
  await cursor.focus();
  await page.keyboard.press("Home");
  await expect(page.locator("#readout-time")).toHaveText("0:00:00");
  await expect(page.locator(".decision .why").first()).toHaveText("No scaling decision yet.");
  await page.keyboard.press("ArrowRight");
  await expect(page.locator("#readout-time")).not.toHaveText("0:00:00");
  await page.keyboard.press("End");
  await expect(page.locator("#readout-time")).toHaveText("6:00:00");

  await page.keyboard.press("Home");
  await page.locator("#next-decision").click();
  const first = await readout(page);
  expect(secs(first.time)).toBeGreaterThan(0);
  // The readout's last decision is the one at the cursor.
  await expect(page.locator(".decision .when").first()).toContainText(`${first.time} · 0s ago`);
  expect(first.decisions[0]).toMatch(/→/);
  await page.locator("#next-decision").click();
  const second = await readout(page);
  expect(secs(second.time)).toBeGreaterThan(secs(first.time));
  await page.locator("#prev-decision").click();
  await expect(page.locator("#readout-time")).toHaveText(first.time);
  console.check();
});
