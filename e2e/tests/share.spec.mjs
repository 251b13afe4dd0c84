// A share link holds the whole scenario (deflated, base64url, in the URL
// fragment) and the cursor: opened in a fresh page it reproduces the view,
// pixel for pixel. Downloads give the YAML and the timeline CSV.
import { test, expect } from "@playwright/test";
import { open, waitDrawn, generation, allCharts, summary, readout, slide, shot, watchConsole } from "./helpers.mjs";

test("a share link round-trips to the same view", async ({ page, context }, testInfo) => {
  const console = watchConsole(page);
  await open(page);
  // Change the scenario (load and workload) and move the cursor.
  await page.locator("#tab-load").click();
  let before = await generation(page);
  await slide(page.locator('input.slider[data-path="load.0.constant"]'), 26);
  await waitDrawn(page, before);
  await page.locator("#tab-workload").click();
  before = await generation(page);
  await page.locator("#f-workload-capacityPerReplica").fill("12");
  await page.locator("#f-workload-capacityPerReplica").press("Enter");
  await waitDrawn(page, before);
  await page.locator("#cursor").focus();
  await page.keyboard.press("Home");
  for (let i = 0; i < 5; i++) await page.locator("#next-decision").click();

  await page.locator("#share").click();
  const link = await page.locator("#share-link").inputValue();
  expect(link).toMatch(/#s=[A-Za-z0-9_-]+&t=\d+$/);
  expect(link.length).toBeLessThan(8000);
  await page.locator("#tab-yaml").click();
  await page.locator("#view-scenario").click();
  const want = {
    text: await page.locator("#editor").inputValue(),
    summary: await summary(page),
    readout: await readout(page),
    charts: await allCharts(page),
  };
  expect(want.text).toContain("capacityPerReplica: 12");
  expect(want.text).toMatch(/- \{constant: 26\}/);

  const other = await context.newPage();
  const otherConsole = watchConsole(other);
  await other.goto(link);
  await waitDrawn(other);
  await other.locator("#view-scenario").click();
  await expect(other.locator("#editor")).toHaveValue(want.text);
  expect(await summary(other)).toEqual(want.summary);
  expect(await readout(other)).toEqual(want.readout);
  const charts = await allCharts(other);
  for (const [id, s] of Object.entries(charts)) {
    expect(s.hash, `${id} pixels`).toBe(want.charts[id].hash);
  }
  await shot(other, testInfo, "shared");
  otherConsole.check();
  console.check();
});

test("the scenario YAML and the timeline CSV download", async ({ page }) => {
  const console = watchConsole(page);
  await open(page);
  const [yaml] = await Promise.all([page.waitForEvent("download"), page.locator("#download-yaml").click()]);
  expect(yaml.suggestedFilename()).toBe("inference-ramp-spike.yaml");
  const yamlText = (await (await yaml.createReadStream()).toArray()).join("");
  await page.locator("#view-scenario").click();
  expect(yamlText).toBe(await page.locator("#editor").inputValue());

  const [csv] = await Promise.all([page.waitForEvent("download"), page.locator("#download-csv").click()]);
  expect(csv.suggestedFilename()).toBe("inference-ramp-spike-timeline.csv");
  const csvText = (await (await csv.createReadStream()).toArray()).join("");
  const lines = csvText.trim().split("\n");
  expect(lines[0]).toMatch(/^variant,t,arrivalRate,desiredReplicas,replicas,readyReplicas,queue,/);
  // Two variants, one row a second of the run, plus the header.
  const seconds = Number(await page.locator("#cursor").getAttribute("max"));
  expect(lines.length).toBe(1 + 2 * seconds);
  expect(lines[1]).toMatch(/^as-written,0,/);
  console.check();
});
