// Broken YAML shows its error at the right line (and column) as it is
// typed: in the gutter, on the line itself, and in the problem list.
import { test, expect } from "@playwright/test";
import { open, setEditor, shot, watchConsole } from "./helpers.mjs";

/** 1-based number of the first line of `text` containing `needle`. */
function lineOf(text, needle) {
  const i = text.split("\n").findIndex((l) => l.includes(needle));
  expect(i, `a line with ${needle}`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

test("a validation error in the manifests is shown at its line and column", async ({ page }, testInfo) => {
  const console = watchConsole(page);
  await open(page);
  await expect(page.locator("#view-manifests")).toHaveAttribute("aria-pressed", "true");
  const text = await page.locator("#editor").inputValue();
  const line = lineOf(text, "averageUtilization: 70");
  const broken = text.replace("averageUtilization: 70", "averageUtilization: -5");
  await setEditor(page, broken);

  await expect(page.locator(".gutter .ln.err")).toHaveText(String(line));
  const message = page.locator(`.err-msg[data-line="${line}"]`);
  await expect(message).toBeVisible();
  await expect(message).toContainText(/greater than 0|must be/i);
  // The problem list names the same place, in this view's lines.
  const problem = page.locator(`#problems .problem:not(.warning)[data-line="${line}"]`);
  await expect(problem).toContainText(`line ${line}, column`);
  await expect(problem).toContainText("averageUtilization");
  await expect(page.locator(".error-count")).toHaveText("1 error");
  // The underline sits at the value's column (the marker's left edge).
  const column = Number((await problem.locator(".where").textContent()).match(/column (\d+)/)[1]);
  expect(column).toBe(text.split("\n")[line - 1].indexOf("averageUtilization") + 1);
  await expect(page.locator(".banner")).toContainText("last scenario that ran");
  await shot(page, testInfo, "validation-error");

  // Clicking the problem puts the caret on that line.
  await problem.click();
  const caretLine = await page.locator("#editor").evaluate((el) => el.value.slice(0, el.selectionStart).split("\n").length);
  expect(caretLine).toBe(line);

  // Fixing it clears every mark.
  await setEditor(page, text);
  await expect(page.locator(".gutter .ln.err")).toHaveCount(0);
  await expect(page.locator("#problems")).toContainText("valid scenario");
  console.check();
});

test("an unknown field is a warning at its line, and the scenario still runs", async ({ page }, testInfo) => {
  const console = watchConsole(page);
  await open(page);
  await expect(page.locator("#view-manifests")).toHaveAttribute("aria-pressed", "true");
  const text = await page.locator("#editor").inputValue();
  // The preset's own lint findings are warnings too.
  const lintWarnings = await page.locator("#problems .problem.warning").count();
  const line = lineOf(text, "maxReplicas:");
  const lines = text.split("\n");
  const indent = lines[line - 1].match(/^\s*/)[0];
  lines.splice(line, 0, `${indent}maxReplica: 20`);
  await setEditor(page, lines.join("\n"));

  // Amber, not red: a warning in the gutter, on the line and in the list.
  await expect(page.locator(".gutter .ln.warn", { hasText: new RegExp(`^${line + 1}$`) })).toHaveCount(1);
  await expect(page.locator(".gutter .ln.err")).toHaveCount(0);
  const message = page.locator(`.err-msg.warn[data-line="${line + 1}"]`);
  await expect(message).toContainText('unknown field "spec.maxReplica"; did you mean "maxReplicas"?');
  const warning = page.locator(`#problems .problem.warning[data-line="${line + 1}"]`);
  await expect(warning).toContainText(`warning, line ${line + 1}, column ${indent.length + 1}`);
  await expect(page.locator(".warning-count")).toHaveText(`${lintWarnings + 1} warnings`);
  await expect(page.locator(".error-count")).toHaveCount(0);
  await expect(page.locator("#problems")).toContainText("valid scenario");
  await expect(page.locator("#editor")).toHaveAttribute("aria-invalid", "false");
  await shot(page, testInfo, "unknown-field-warning");

  await setEditor(page, text);
  await expect(page.locator(`.err-msg.warn[data-line="${line + 1}"]`)).toHaveCount(0);
  await expect(page.locator("#problems .problem.warning")).toHaveCount(lintWarnings);
  console.check();
});

test("a YAML syntax error in the scenario is shown at its line", async ({ page }, testInfo) => {
  const console = watchConsole(page);
  await open(page);
  await page.locator("#view-scenario").click();
  const text = await page.locator("#editor").inputValue();
  const line = lineOf(text, "seed:");
  const lines = text.split("\n");
  // A second `: ` on the line: the YAML parser stops at its column.
  lines[line - 1] = "seed: 42: 43";
  await setEditor(page, lines.join("\n"));
  await expect(page.locator(".gutter .ln.err")).toHaveText(String(line));
  await expect(page.locator(`.err-msg[data-line="${line}"]`)).toContainText("mapping values are not allowed");
  await expect(page.locator("#problems .problem:not(.warning)")).toContainText(`line ${line}, column 9`);
  // The forms wait for valid YAML rather than guess.
  await page.locator("#tab-load").click();
  await expect(page.locator(".disabled")).toContainText("syntax error");
  await page.locator("#tab-yaml").click();
  await shot(page, testInfo, "syntax-error");
  await setEditor(page, text);
  await expect(page.locator(".gutter .ln.err")).toHaveCount(0);
  console.check();
});

test("an error outside the shown manifests is listed and one click shows it", async ({ page }) => {
  const console = watchConsole(page);
  await open(page);
  await page.locator("#view-scenario").click();
  const text = await page.locator("#editor").inputValue();
  const line = lineOf(text, "capacityPerReplica:");
  const lines = text.split("\n");
  lines[line - 1] = lines[line - 1].replace(/capacityPerReplica: [\d.]+/, "capacityPerReplica: 0");
  await setEditor(page, lines.join("\n"));
  await expect(page.locator(".gutter .ln.err")).toHaveText(String(line));
  // In the manifests view the problem is elsewhere: listed with its scenario line.
  await page.locator("#view-manifests").click();
  await expect(page.locator(".gutter .ln.err")).toHaveCount(0);
  await expect(page.locator("#problems .problem:not(.warning)")).toContainText(`in scenario, line ${line}, column`);
  await page.locator("#problems .problem:not(.warning)").click();
  await expect(page.locator("#view-scenario")).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator(".gutter .ln.err")).toHaveText(String(line));
  console.check();
});

test("pasted bare manifests are wrapped into a scenario", async ({ page }) => {
  const console = watchConsole(page);
  await open(page, "#p=batch-keda-idle");
  await page.locator("#view-scenario").click();
  const manifests = [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: {name: web}",
    "spec:",
    "  replicas: 2",
    "  template: {spec: {containers: [{name: app, resources: {requests: {cpu: '1'}}}]}}",
    "---",
    "apiVersion: autoscaling/v2",
    "kind: HorizontalPodAutoscaler",
    "metadata: {name: web}",
    "spec:",
    "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}",
    "  minReplicas: 2",
    "  maxReplicas: 12",
    "  metrics:",
    "  - type: Resource",
    "    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}",
    "",
  ].join("\n");
  await setEditor(page, manifests);
  await expect(page.locator(".notice")).toContainText("manifests");
  await expect(page.locator("#view-manifests")).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("#editor")).toHaveValue(manifests);
  await expect(page.locator("#problems")).toContainText("valid scenario");
  await expect(page.locator("#readout tr[data-row='metric-cpu']")).toBeVisible();
  console.check();
});

test("a manifests file dropped anywhere on the page is read like a paste", async ({ page }) => {
  const console = watchConsole(page);
  await open(page);
  const manifests = (await page.locator("#editor").inputValue()).replace("maxReplicas: 10", "maxReplicas: 6");
  const before = await page.locator(".app").getAttribute("data-generation");
  await page.locator("main.middle").evaluate((el, text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], "hpa.yaml", { type: "application/yaml" }));
    el.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, manifests);
  await expect(page.locator(".app")).not.toHaveAttribute("data-generation", before);
  await expect(page.locator("#view-manifests")).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("#editor")).toHaveValue(manifests);
  await expect(page.locator("#problems")).toContainText("valid scenario");
  await expect(page).toHaveURL(/#s=/);
  console.check();
});
