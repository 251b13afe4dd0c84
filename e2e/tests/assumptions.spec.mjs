// Real manifests pasted as they are run: the charts draw at once, every
// signal the engine had to infer is a chip beside its metric, and choosing
// another signal writes `signals:` into the scenario and runs it again.
import { readFileSync } from "node:fs";
import { test, expect } from "@playwright/test";
import { canvasStats, generation, open, setEditor, shot, waitDrawn, watchConsole } from "./helpers.mjs";

/** A file of the real-world corpus (tests/realworld/). */
function realworld(name) {
  return readFileSync(new URL(`../../tests/realworld/${name}`, import.meta.url), "utf8");
}

/** The chip of a metric's assumption. */
function chip(page, metric) {
  return page.locator(`#assumptions li.assumption[data-metric="${metric}"]`);
}

/** Pastes manifests over the editor's manifests view and waits for the charts. */
async function pasteManifests(page, text) {
  await page.locator("#view-manifests").click();
  const before = await generation(page);
  await setEditor(page, text);
  await expect.poll(() => generation(page)).toBeGreaterThan(before);
  await expect(page.locator("#problems")).toContainText("valid scenario");
  await waitDrawn(page, before);
}

test("a vLLM HPA, a KEDA Prometheus queue trigger and a Kafka trigger run as pasted, their signals assumed and editable", async ({ page }, testInfo) => {
  const console = watchConsole(page);
  await open(page);

  // 1. vLLM's GPU-utilization HPA: the metric's name says GPU.
  await pasteManifests(page, realworld("k8s-examples-vllm-gpu-util-hpa.yaml"));
  const gpu = chip(page, "gpu_utilization_percent");
  await expect(gpu).toHaveAttribute("data-signal", "gpu");
  await expect(gpu.locator(".chip")).toContainText("gpu_utilization_percent ← gpu · assumed from the name");
  const metricsBefore = await canvasStats(page, "#chart-metrics");
  expect(metricsBefore.inked).toBeGreaterThan(1000);
  await shot(page, testInfo, "vllm-gpu-assumed");

  // Its chooser lists every signal with a line on each; choosing one writes
  // `signals:` into the scenario, and the run changes.
  await gpu.locator(".chip").click();
  const choices = gpu.locator(".chooser .choice");
  await expect(choices).toHaveCount(10);
  await expect(gpu.locator('.choice[data-signal="gpu"]')).toHaveAttribute("aria-pressed", "true");
  await expect(gpu.locator('.choice[data-signal="latency"]')).toContainText("p95 latency");
  const before = await generation(page);
  await gpu.locator('.choice[data-signal="queuePerReplica"]').click();
  await expect.poll(() => generation(page)).toBeGreaterThan(before);
  await waitDrawn(page, before);
  // Mapped, it is no longer an assumption; the scenario says so.
  await expect(chip(page, "gpu_utilization_percent")).toHaveCount(0);
  await page.locator("#view-scenario").click();
  await expect(page.locator("#editor")).toHaveValue(/gpu_utilization_percent: queuePerReplica/);
  const metricsAfter = await canvasStats(page, "#chart-metrics");
  expect(metricsAfter.hash, "the metrics chart changed").not.toBe(metricsBefore.hash);
  await shot(page, testInfo, "vllm-gpu-mapped");

  // 2. A KEDA ScaledObject with a Prometheus queue trigger (vLLM production stack).
  await pasteManifests(page, realworld("vllm-production-stack-keda-prometheus-queue.yaml"));
  const waiting = chip(page, "vllm:num_requests_waiting");
  await expect(waiting).toHaveAttribute("data-signal", "queue");
  await expect(waiting.locator(".chip")).toContainText("assumed from the name");
  expect((await canvasStats(page, "#chart-capacity")).inked).toBeGreaterThan(1000);

  // 3. A Kafka trigger, alone as a scenario: the load is assumed too.
  await page.locator("#view-scenario").click();
  const kafka = realworld("keda-docs-kafka-no-auth.yaml");
  const alone = "manifests: |\n" + kafka.split("\n").map((l) => (l.trim() ? `  ${l}` : "")).join("\n") + "\n";
  const g = await generation(page);
  await setEditor(page, alone);
  await expect.poll(() => generation(page)).toBeGreaterThan(g);
  await waitDrawn(page, g);
  await expect(chip(page, "test-topic")).toHaveAttribute("data-signal", "queue");
  await expect(chip(page, "test-topic").locator(".chip")).toContainText("assumed from the trigger type");
  await expect(chip(page, "load")).toBeVisible();
  await expect(chip(page, "workload.mode")).toHaveAttribute("data-signal", "queue");
  const capacity = await canvasStats(page, "#chart-capacity");
  expect(capacity.inked).toBeGreaterThan(1000);
  await shot(page, testInfo, "kafka-alone");

  // Changing the Kafka trigger's signal changes the run.
  await chip(page, "test-topic").locator(".chip").click();
  const k = await generation(page);
  await chip(page, "test-topic").locator('.choice[data-signal="arrivalRate"]').click();
  await expect.poll(() => generation(page)).toBeGreaterThan(k);
  await waitDrawn(page, k);
  await expect(page.locator("#editor")).toHaveValue(/test-topic: arrivalRate/);
  expect((await canvasStats(page, "#chart-capacity")).hash, "the capacity chart changed").not.toBe(capacity.hash);
  console.check();
});

test("an unmapped metric's error offers the signal chooser at its line", async ({ page }) => {
  const console = watchConsole(page);
  await open(page);
  await page.locator("#view-manifests").click();
  const before = await generation(page);
  await setEditor(page, realworld("k8s-stackdriver-prometheus-to-sd-deployment-and-pods-hpa.yaml"));
  await expect.poll(() => generation(page)).toBeGreaterThan(before);
  const unmapped = page.locator('#problems .unmapped[data-metric="foo"]');
  await expect(unmapped).toBeVisible();
  await unmapped.locator(".chip").click();
  // The likeliest first: a Pods metric is read per pod.
  await expect(unmapped.locator(".choice").first()).toHaveAttribute("data-signal", "queuePerReplica");
  await unmapped.locator('.choice[data-signal="inflight"]').click();
  await expect(page.locator("#problems")).toContainText("valid scenario");
  await waitDrawn(page, before);
  console.check();
});
