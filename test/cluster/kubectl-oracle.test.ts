// kubectl as the oracle for pod rows. kubectl get asks the server for a Table, so what it prints is kube-apiserver's own
// printPod: Timoneiro's pod rows, built from the informer's cache, must print the same cells row by row for pods in
// every state (see lib/pod-corpus.ts), and keep doing so while a pod moves through states.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { InformerRepository, WireFormat } from "../../src/repository/informer-repository.ts";
import { type PodRow, pods } from "../../src/resources/pods.ts";
import { createPod, deletePod, type Json, podManifest, rfc3339 } from "./lib/api.ts";
import { assertConverges, contextOf, informer, until } from "./lib/informer.ts";
import { kubectlOk, parseTable, type TableRow } from "./lib/kubectl.ts";
import { CORPUS, type CorpusPod, writeCorpus } from "./lib/pod-corpus.ts";
import { EXTERNAL, placement, type TestCluster, testCluster } from "./lib/target.ts";

/** "corpus" on the fixture, the test namespace on an external cluster. */
let NAMESPACE: string;
const WIDE_HEADERS = [
  "NAMESPACE",
  "NAME",
  "READY",
  "STATUS",
  "RESTARTS",
  "AGE",
  "IP",
  "NODE",
  "NOMINATED NODE",
  "READINESS GATES",
];
/** Cells that depend on the clock of whoever prints them. */
const TIMED = new Set(["RESTARTS", "AGE"]);

const WIRES = ["json", "protobuf"] satisfies WireFormat[];

let cluster: TestCluster;
/** The corpus entries written in this run (on an external cluster some are left out: see lib/pod-corpus.ts). */
let written: CorpusPod[] = [];
/** One informer per wire format: the rows come from different decoders. */
const repos = new Map<WireFormat, InformerRepository>();

before(async () => {
  cluster = await testCluster();
  NAMESPACE = cluster.ns("corpus");
  written = await writeCorpus(cluster, NAMESPACE);
  for (const wire of WIRES) {
    const repo = await informer(contextOf(cluster), {
      wire,
      ...(cluster.scope !== undefined && { namespace: cluster.scope }),
    });
    repos.set(wire, repo);
    await repo.startPriority();
    await assertConverges(repo, cluster, `corpus written (${wire})`, { namespace: cluster.scope });
  }
});

after(async () => {
  await Promise.all([...repos.values()].map((repo) => repo.stopAndWait()));
  await cluster?.stop();
});

/** kubectl get pods -A -o wide, with the wall-clock window in which the server printed it. */
function kubectlWide(): { rows: Map<string, TableRow>; from: number; to: number } {
  const from = Date.now();
  // On an external cluster only the test namespace (kept in -A's form, so the NAMESPACE column stays).
  const only = cluster.scope ? ["--field-selector", `metadata.namespace=${cluster.scope}`] : [];
  const out = kubectlOk(cluster, "get", "pods", "-A", "-o", "wide", ...only);
  const to = Date.now();
  const table = parseTable(out);
  assert.deepEqual(table.headers, WIDE_HEADERS, out);
  return { rows: new Map(table.rows.map((row) => [`${row.NAMESPACE}/${row.NAME}`, row])), from, to };
}

/**
 * Timoneiro's cell for `column` as it may have been printed at any moment of [from, to]: creation and finish times
 * are whole seconds, so the text can only change on a second boundary and sampling every second (plus `to`) meets
 * every value it takes.
 */
function cellsDuring(row: PodRow, column: string, from: number, to: number): string[] {
  const def = pods.columns.find((c) => c.name === column);
  assert.ok(def, `no column ${column}`);
  if (!TIMED.has(column)) return [def.cell(row, from)];
  const values = new Set<string>();
  for (let t = from; t < to; t += 1000) values.add(def.cell(row, t));
  values.add(def.cell(row, to));
  return [...values];
}

/** Every cell where Timoneiro and kubectl disagree, as readable lines (empty when they agree). */
function compareWithKubectl(rows: readonly PodRow[]): { differences: string[]; compared: number } {
  const { rows: printed, from, to } = kubectlWide();
  const ours = new Map(rows.map((row) => [`${row.namespace}/${row.name}`, row]));
  const differences: string[] = [];
  for (const key of printed.keys()) if (!ours.has(key)) differences.push(`${key}: printed by kubectl, not cached`);
  for (const key of ours.keys()) if (!printed.has(key)) differences.push(`${key}: cached, not printed by kubectl`);
  for (const [key, kube] of printed) {
    const row = ours.get(key);
    if (!row) continue;
    for (const column of WIDE_HEADERS.slice(2)) {
      const candidates = cellsDuring(row, column, from, to);
      if (!candidates.includes(kube[column] ?? "")) {
        differences.push(
          `${key} ${column}: kubectl "${kube[column]}", Timoneiro ${candidates.map((c) => `"${c}"`).join(" or ")}`,
        );
      }
    }
  }
  return { differences, compared: printed.size };
}

test("every corpus pod is in the state it is named for (kubectl's READY, STATUS, RESTARTS)", (t) => {
  const left = CORPUS.filter((pod) => !written.includes(pod));
  if (left.length > 0) {
    t.diagnostic(
      `left out on an external cluster: ${left.map((pod) => `${pod.name} (${pod.notExternal})`).join("; ")}`,
    );
  }
  const { rows } = kubectlWide();
  const wrong: string[] = [];
  for (const pod of written) {
    const row = rows.get(`${NAMESPACE}/${pod.name}`);
    if (!row) {
      wrong.push(`${pod.name}: not printed`);
      continue;
    }
    if (row.READY !== pod.expect.ready || row.STATUS !== pod.expect.status) {
      wrong.push(`${pod.name}: ${row.READY} ${row.STATUS}, meant ${pod.expect.ready} ${pod.expect.status}`);
    }
    if (pod.expect.restarts && !pod.expect.restarts.test(row.RESTARTS ?? "")) {
      wrong.push(`${pod.name}: RESTARTS "${row.RESTARTS}", meant ${pod.expect.restarts}`);
    }
  }
  assert.deepEqual(wrong, []);
});

for (const wire of WIRES) {
  test(`Timoneiro's pod rows (${wire}) equal kubectl get pods -A -o wide, cell for cell`, () => {
    const { differences, compared } = compareWithKubectl(repos.get(wire)!.getPods());
    assert.deepEqual(differences, []);
    assert.equal(compared, written.length);
  });
}

test("the comparison notices a wrong cell and a missing row", () => {
  const rows = repos.get("json")!.getPods();
  const wrong = rows.map((row) => (row.name === "crashloop" ? { ...row, restarts: row.restarts + 1 } : row));
  assert.deepEqual(
    compareWithKubectl(wrong).differences.map((d) => d.split(":")[0]),
    [`${NAMESPACE}/crashloop RESTARTS`],
  );
  const missing = rows.filter((row) => row.name !== "evicted");
  assert.deepEqual(compareWithKubectl(missing).differences, [`${NAMESPACE}/evicted: printed by kubectl, not cached`]);
});

test("a pod moving through states prints like kubectl at every step", async () => {
  const name = "walker";
  await createPod(cluster, NAMESPACE, podManifest(name, placement("node-a"), { finalizers: ["timoneiro.test/hold"] }));
  /** Waits until every informer shows the walker in `status`, then compares each with kubectl. */
  const walkerIs = async (status: string) => {
    for (const [wire, repo] of repos) {
      await until(() => repo.getPods().some((p) => p.name === name && p.status === status), `walker is ${status}`);
      assert.deepEqual(compareWithKubectl(repo.getPods()).differences, [], `${wire}, walker ${status}`);
    }
  };
  // Each step replaces the whole status (PUT), as a kubelet's status manager does, so nothing lingers from the last.
  const steps: { status: (now: string, ago: (s: number) => string) => Json; expect: string }[] = [
    {
      expect: "ContainerCreating",
      status: (now) => ({
        phase: "Pending",
        startTime: now,
        containerStatuses: [
          {
            name: "app",
            image: "x",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: "ContainerCreating" } },
          },
        ],
      }),
    },
    {
      expect: "Running",
      status: (now) => ({
        phase: "Running",
        podIP: "10.244.3.3",
        startTime: now,
        conditions: [{ type: "Ready", status: "True", lastTransitionTime: now }],
        containerStatuses: [
          {
            name: "app",
            image: "x",
            imageID: "",
            ready: true,
            started: true,
            restartCount: 0,
            state: { running: { startedAt: now } },
          },
        ],
      }),
    },
    {
      expect: "CrashLoopBackOff",
      status: (now, ago) => ({
        phase: "Running",
        podIP: "10.244.3.3",
        startTime: now,
        conditions: [{ type: "Ready", status: "False", lastTransitionTime: now }],
        containerStatuses: [
          {
            name: "app",
            image: "x",
            imageID: "",
            ready: false,
            started: false,
            restartCount: 4,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 2, reason: "Error", startedAt: ago(20), finishedAt: ago(10) } },
          },
        ],
      }),
    },
  ];
  for (const step of steps) {
    const current = await cluster.request("GET", `/api/v1/namespaces/${NAMESPACE}/pods/${name}`);
    const pod = current.json as Json;
    const base = Date.now();
    const now = rfc3339(new Date(base));
    const res = await cluster.request("PUT", `/api/v1/namespaces/${NAMESPACE}/pods/${name}/status`, {
      ...pod,
      status: step.status(now, (s) => rfc3339(new Date(base - s * 1000))),
    });
    assert.equal(res.status, 200, res.body.toString());
    await walkerIs(step.expect);
  }
  // On an external cluster the walker is unscheduled, and the pod garbage collector force-fails an unscheduled pod
  // being deleted: the walk ends before the Terminating step there.
  if (!EXTERNAL) {
    await deletePod(cluster, NAMESPACE, name);
    await walkerIs("Terminating");
  }
  for (const repo of repos.values()) {
    await assertConverges(repo, cluster, "after the walk", { namespace: cluster.scope });
  }
});
