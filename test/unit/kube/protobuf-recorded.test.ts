// Real kube-apiserver responses, recorded in protobuf and in JSON by test/cluster/record-protobuf-fixtures.ts into
// test/fixtures/protobuf/: the protobuf decoder must give the rows (and resourceVersions) the JSON ones give.
// Skipped, and saying why, while the recording is absent.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { KubeList, KubeObject, WatchEvent } from "../../../src/kube/objects.ts";
import { decodeObject, protobufDecoder } from "../../../src/kube/protobuf/index.ts";
import { podRow } from "../../../src/resources/pods.ts";

const dir = join(import.meta.dirname, "..", "..", "fixtures", "protobuf");
const files = ["pods-list.pb", "pods-list.json", "pod-get.pb", "pod-get.json", "pods-watch.pb", "pods-watch.jsonl"];
const missing = files.filter((f) => !existsSync(join(dir, f)));
const skip = missing.length > 0 ? `no recording in test/fixtures/protobuf (${missing.join(", ")} missing)` : false;

const read = (file: string) => readFileSync(join(dir, file));
const rowsOf = (objects: readonly KubeObject[]) => objects.map(podRow);
const versionsOf = (objects: readonly KubeObject[]) => objects.map((o) => o.metadata?.resourceVersion);

test("recorded LIST: the rows and item resourceVersions of the JSON list", { skip }, () => {
  const json = JSON.parse(read("pods-list.json").toString()) as KubeList;
  const page = protobufDecoder.decodeList(read("pods-list.pb"));
  assert.ok(json.items.length > 0);
  assert.deepEqual(rowsOf(page.items), rowsOf(json.items));
  assert.deepEqual(versionsOf(page.items), versionsOf(json.items));
  // The recording has something to compare: a crash-looping pod with restarts and a last restart time.
  assert.ok(rowsOf(page.items).some((r) => r.status === "CrashLoopBackOff" && r.restarts > 0 && r.lastRestartAt > 0));
  // Two requests, so the list's own resourceVersion may have moved on (leases write too); it is there.
  assert.match(page.resourceVersion, /^\d+$/);
});

test("recorded GET: the row of the JSON pod", { skip }, () => {
  const json = JSON.parse(read("pod-get.json").toString()) as KubeObject;
  const pod = decodeObject(read("pod-get.pb"));
  assert.equal(pod.kind, "Pod");
  assert.equal(pod.apiVersion, "v1");
  assert.deepEqual(podRow(pod), podRow(json));
});

test("recorded WATCH: the events of the JSON stream, whole and split at every byte", { skip }, () => {
  const jsonEvents = read("pods-watch.jsonl")
    .toString()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as WatchEvent);
  const stream = read("pods-watch.pb");
  const decode = (chunks: Buffer[]): WatchEvent[] => {
    const events: WatchEvent[] = [];
    const parser = protobufDecoder.watchParser((e) => events.push(e));
    for (const chunk of chunks) parser.push(chunk);
    return events;
  };
  const events = decode([stream]);
  assert.ok(jsonEvents.length > 0);
  assert.deepEqual(
    events.map((e) => e.type),
    jsonEvents.map((e) => e.type),
  );
  const objects = events.map((e) => e.object);
  const jsonObjects = jsonEvents.map((e) => e.object);
  assert.deepEqual(rowsOf(objects), rowsOf(jsonObjects));
  assert.deepEqual(versionsOf(objects), versionsOf(jsonObjects));
  assert.ok(rowsOf(objects).some((r) => r.deleting && r.status === "Terminating"));
  const whole = JSON.stringify(events);
  for (let cut = 1; cut < stream.length; cut++) {
    assert.equal(JSON.stringify(decode([stream.subarray(0, cut), stream.subarray(cut)])), whole, `split at ${cut}`);
  }
});
