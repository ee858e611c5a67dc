// The generated cluster as stored: unique names at scale, and pods written as JSON text that agree with what the
// store indexes (labels, field values, resourceVersion) and with their workloads' status counts.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { Arena } from "../../../src/sim/arena.ts";
import { ClusterModel, isReady, type PodState } from "../../../src/sim/generate.ts";
import { fieldsOf, kindByResource } from "../../../src/sim/kinds.ts";
import { populate } from "../../../src/sim/populate.ts";
import { Store, serialise } from "../../../src/sim/store.ts";

const NOW = Date.UTC(2026, 4, 1);

type Json = Record<string, unknown>;

test("150,000 generated names for one DaemonSet are unique and the same for the same seed", () => {
  const names = (seed: number) => {
    const model = new ClusterModel(seed, NOW);
    model.plan(2000);
    const ds = model.workloads.find((w) => w.kind === "DaemonSet");
    assert.ok(ds);
    return Array.from({ length: 150_000 }, (_, i) => model.podName(ds, i));
  };
  const a = names(7);
  // With 27^5 suffixes, ~780 of these draws repeat an earlier one and must be drawn again.
  assert.equal(new Set(a).size, a.length);
  assert.deepEqual(names(7), a);
  assert.notDeepEqual(names(8).slice(0, 10), a.slice(0, 10));
});

test("a cluster whose DaemonSet suffixes collide is generated whole (seed 7: kube-proxy drew a suffix twice)", () => {
  const store = new Store({ historyWindow: 10_000 });
  populate(store, { pods: 25_000, nodes: 3000, seed: 7, now: NOW });
  const pods = store.kind("pods");
  assert.equal(store.counts().pods, 25_000);
  assert.equal(new Set(pods.keys).size, 25_000);
});

test("stored pods: JSON with kind and apiVersion first, its resourceVersion, and the labels and fields indexed", () => {
  const store = new Store({ historyWindow: 10_000 });
  populate(store, { pods: 3000, seed: 3, now: NOW });
  const k = store.kind("pods");
  const byOwner = new Map<string, KubeObject[]>();
  for (const key of k.keys) {
    const v = k.entries.get(key)!.cur;
    assert.ok(v.buf!.subarray(0, k.typePrefix.length).equals(k.typePrefix), "list items cut the type prefix off");
    const pod = JSON.parse(v.buf!.toString()) as KubeObject;
    assert.equal(`${pod.metadata?.namespace}/${pod.metadata?.name}`, key);
    assert.equal(pod.metadata?.resourceVersion, String(v.rv));
    assert.deepEqual({ ...v.labels }, pod.metadata?.labels);
    assert.deepEqual({ ...v.fields }, fieldsOf(kindByResource.get("pods")!, pod));
    const owner = (pod.metadata as { ownerReferences: { uid: string }[] }).ownerReferences[0]!.uid;
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), pod]);
  }
  // Workloads are stored before their pods and count the ready ones.
  let checked = 0;
  for (const resource of ["replicasets", "statefulsets", "daemonsets"]) {
    const ks = store.kind(resource);
    for (const key of ks.keys) {
      const v = ks.entries.get(key)!.cur;
      const obj = JSON.parse(v.buf!.toString()) as KubeObject;
      const status = obj.status as Json;
      const pods = byOwner.get(obj.metadata!.uid!) ?? [];
      assert.ok(pods.length > 0);
      assert.equal(status.readyReplicas ?? status.numberReady, pods.filter(isReady).length, key);
      for (const p of pods) assert.ok(Number(p.metadata!.resourceVersion) > v.rv);
      checked++;
    }
  }
  assert.ok(checked > 100);
});

test("makePod's object serialises to the very text generatePod makes, in every state", () => {
  const states: PodState[] = [
    "Running",
    "NotReady",
    "Pending",
    "ContainerCreating",
    "Init",
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "OOMKilled",
    "Evicted",
    "Terminating",
    "Completed",
    "Error",
  ];
  const a = new ClusterModel(5, NOW);
  const b = new ClusterModel(5, NOW);
  a.plan(600);
  b.plan(600);
  for (let i = 0; i < a.workloads.length; i++) {
    for (let j = 0; j < 3; j++) {
      const state = states[(i * 3 + j) % states.length]!;
      const pod = a.makePod(a.workloads[i]!, j, state);
      assert.equal(serialise(kindByResource.get("pods")!, pod), b.generatePod(b.workloads[i]!, j, state).json(0));
    }
  }
});

test("arena: views keep their bytes, multi-byte text included, and a text larger than a slab fits", () => {
  const arena = new Arena();
  const texts = ["{}", '{"name":"ü—名前"}', "x".repeat(20 << 20), '{"a":1}'];
  for (let i = 0; i < 2000; i++) texts.push(`{"i":${i},"s":"${"é".repeat(i % 50)}"}`);
  const views = texts.map((t) => arena.put(t));
  for (let i = 0; i < texts.length; i++) assert.equal(views[i]!.toString(), texts[i]);
});
