// The workload describers: a job and a replicaset (with the pods it controls) → kubectl describe's text.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import { describerFor } from "../../../../src/resources/describe/index.ts";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const template = {
  metadata: { labels: { app: "m" } },
  spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox:1.36" }] },
};

test("job: selector, completions, times and duration, pod statuses, template; no events", () => {
  const job = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "migrate", namespace: "ops", uid: "j1" },
    spec: { parallelism: 1, completions: 1, backoffLimit: 6, selector: { matchLabels: { app: "m" } }, template },
    status: { startTime: "2026-01-01T11:00:00Z", completionTime: "2026-01-01T11:02:05Z", succeeded: 1, ready: 0 },
  };
  const text = describerFor("batch", "jobs").describe({ object: job, events: [], related: {}, now: NOW });
  assert.equal(
    text,
    [
      "Name:           migrate",
      "Namespace:      ops",
      "Selector:       app=m",
      "Labels:         <none>",
      "Annotations:    <none>",
      "Parallelism:    1",
      "Completions:    1",
      "Backoff Limit:  6",
      "Start Time:     Thu, 01 Jan 2026 11:00:00 +0000",
      "Completed At:   Thu, 01 Jan 2026 11:02:05 +0000",
      "Duration:       2m5s",
      "Pods Statuses:  0 Active (0 Ready) / 1 Succeeded / 0 Failed",
      "Pod Template:",
      "  Labels:  app=m",
      "  Containers:",
      "   main:",
      "    Image:         busybox:1.36",
      "    Port:          <none>",
      "    Host Port:     <none>",
      "    Environment:   <none>",
      "    Mounts:        <none>",
      "  Volumes:         <none>",
      "  Node-Selectors:  <none>",
      "  Tolerations:     <none>",
      "Events:            <none>",
    ].join("\n"),
  );
});

test("replicaset: related pods are listed by its selector and counted by phase when it controls them", () => {
  const rs = {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: "api-7d", namespace: "shop", uid: "r1" },
    spec: { replicas: 2, selector: { matchLabels: { app: "api" } }, template },
    status: { replicas: 2 },
  };
  const d = describerFor("apps", "replicasets");
  assert.deepEqual(d.related?.(rs), { pods: "/api/v1/namespaces/shop/pods?labelSelector=app%3Dapi" });
  const owned = (phase: string, uid = "r1") => ({
    metadata: { ownerReferences: [{ controller: true, uid }] },
    status: { phase },
  });
  const text = d.describe({
    object: rs,
    events: [],
    related: { pods: [owned("Running"), owned("Pending"), owned("Running", "other")] },
    now: NOW,
  });
  assert.match(
    text,
    /\nReplicas:\s+2 current \/ 2 desired\nPods Status:\s+1 Running \/ 1 Waiting \/ 0 Succeeded \/ 0 Failed\n/,
  );
});
