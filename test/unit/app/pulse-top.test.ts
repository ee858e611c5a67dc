// :pulse and :top as the user sees them: counts from the caches, Enter opening the list behind a number, the
// heaviest pods ranked in one pass with their share of their limits.
import assert from "node:assert/strict";
import { test } from "node:test";
import { newRootModel, top as topView, view, viewContext } from "../../../src/app/root.ts";
import { pulseLines } from "../../../src/app/views/pulse.ts";
import { heaviest } from "../../../src/app/views/top.ts";
import { makePod, StaticRepository } from "../../../src/repository/static-repository.ts";
import type { BaseRow } from "../../../src/resources/types.ts";
import { effectsOf, keys, NOW, plain, send, type } from "./helpers.ts";

const MIN = 60_000;

function repo() {
  const pods = [
    makePod({ name: "ok-1", status: "Running", createdAt: NOW - 9 * MIN }),
    makePod({
      name: "ok-2",
      status: "Running",
      createdAt: NOW - 8 * MIN,
      cpuUsage: 250,
      memUsage: 64 * 2 ** 20,
      cpuLimit: 500,
      memLimit: 128 * 2 ** 20,
    }),
    makePod({
      name: "crash",
      status: "CrashLoopBackOff",
      ready: "0/1",
      readyCount: 0,
      restarts: 4,
      lastRestartAt: NOW - 2 * MIN,
      createdAt: NOW - 7 * MIN,
      cpuUsage: 900,
      memUsage: 10 * 2 ** 20,
    }),
    makePod({ name: "wait", status: "Pending", ready: "0/1", readyCount: 0, createdAt: NOW - 6 * MIN }),
  ];
  const row = (name: string, extra: object): BaseRow => ({
    namespace: "default",
    name,
    uid: name,
    createdAt: 0,
    ...extra,
  });
  return new StaticRepository({
    pods,
    contextName: "ctx",
    clusterName: "cl",
    now: () => NOW,
    rows: {
      deployments: [row("api", { desired: 3, available: 3 }), row("web", { desired: 2, available: 1 })],
      nodes: [
        { ...row("n1", { status: "Ready", unschedulable: false, pressure: "MemoryPressure" }), namespace: "" },
        { ...row("n2", { status: "NotReady,SchedulingDisabled", unschedulable: true }), namespace: "" },
      ],
      events: [
        row("e1", { type: "Warning", lastSeenAt: NOW - 30_000 }),
        row("e2", { type: "Warning", lastSeenAt: NOW - 3 * MIN }),
        row("e3", { type: "Normal", lastSeenAt: NOW - 10_000 }),
      ],
    },
  });
}

test(":pulse counts pods by status (failing first), deployments, nodes, restarts and Warning events", () => {
  const model = newRootModel(repo(), { width: 100, height: 40, now: NOW });
  const lines = pulseLines(viewContext(model)).map((l) => (l.section ? `# ${l.section}` : `${l.label}=${l.count}`));
  assert.deepEqual(lines, [
    "# PODS 4",
    "CrashLoopBackOff=1",
    "Pending=1",
    "Running=2",
    "restarted in the last 5 min=1",
    "restarted in the last 60 min=1",
    "# DEPLOYMENTS 2",
    "all replicas available=1",
    "fewer available than desired=1",
    "# NODES 2",
    "Ready=1",
    "NotReady or Unknown=1",
    "cordoned (SchedulingDisabled)=1",
    "under memory, disk or PID pressure=1",
    "# EVENTS",
    "Warning in the last minute=1",
    "Warning per minute, last 5 min=0.4",
  ]);
});

test(":pulse Enter opens the list behind the line: the failing pods, filtered", () => {
  let model = newRootModel(repo(), { width: 100, height: 40, now: NOW });
  model = type(model, ":pulse<enter>");
  assert.match(plain(view(model)).join("\n"), /CrashLoopBackOff\s+1/);
  model = send(model, ...keys("<enter>"));
  const shown = plain(view(model)).join("\n");
  assert.match(shown, /crash/);
  assert.doesNotMatch(shown, /ok-1/);
});

test(":top ranks the pods with a sample, heaviest first, with their share of the limits; m ranks by memory", () => {
  const { rows, sampled } = heaviest(repo().rows({ kind: "pods" }) as never, "cpu", 10);
  assert.deepEqual(
    rows.map((r) => r.name),
    ["crash", "ok-2"],
  );
  assert.equal(sampled, 2);
  let model = newRootModel(repo(), { width: 100, height: 12, now: NOW });
  model = type(model, ":top<enter>");
  const lines = plain(view(model));
  assert.match(lines[0] ?? "", /Top pods by CPU 2 of 4 sampled/);
  assert.match(lines.join("\n"), /crash\s+900\s+n\/a\s+10\s+n\/a/);
  assert.match(lines.join("\n"), /ok-2\s+250\s+50\s+64\s+50/);
  model = type(model, "m");
  const byMem = plain(view(model));
  assert.ok(
    byMem.findIndex((l) => l.includes("ok-2")) < byMem.findIndex((l) => l.includes("crash")),
    "ok-2 uses more memory",
  );
  assert.deepEqual(
    effectsOf(model, ...keys("<enter>")).filter((e) => e.type !== "redraw"),
    [],
    "Enter runs a command in the root (no I/O)",
  );
  assert.ok(topView(send(model, ...keys("<enter>"))).id !== "top");
});

test("the containers view shows the pod's usage with a sparkline of its samples", async () => {
  const { update: rootUpdate } = await import("../../../src/app/root.ts");
  const repo = new StaticRepository({
    contextName: "ctx",
    clusterName: "cl",
    now: () => NOW,
    pods: [makePod({ name: "busy", createdAt: NOW - 1000, cpuUsage: 120, memUsage: 300 * 2 ** 20 })],
  });
  const model = newRootModel(repo, { width: 100, height: 16, now: NOW });
  const press = { type: "key" as const, name: "enter", ctrl: false, alt: false, shift: false };
  const [opened, effects] = rootUpdate(model, press);
  const id = (effects[0] as { id: string }).id;
  const pod = {
    spec: { containers: [{ name: "web", image: "shop/api:1" }] },
    status: { containerStatuses: [{ name: "web", ready: true, restartCount: 0, state: { running: {} } }] },
  };
  const text = plain(view(send(opened, { type: "result", id, value: pod }))).join("\n");
  assert.match(text, /CPU {2}\s*█ {2}120m/);
  assert.match(text, /MEM {2}\s*█ {2}300 MiB/);
});
