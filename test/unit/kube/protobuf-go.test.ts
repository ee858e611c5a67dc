// Bytes written by Kubernetes' own codecs (k8s.io/apimachinery v0.37.2, the version test/cluster builds), so that the
// decoder is checked against field numbers and framing it did not write itself. Made by a throwaway Go program that
//   LIST:  decodes the PodList below from JSON with the apimachinery JSON serializer and encodes it with
//          protobuf.NewSerializer (k8s\0 + runtime.Unknown);
//   WATCH: encodes each event's object the same way, wraps it in a metav1.WatchEvent written by
//          protobuf.NewRawSerializer, framed by protobuf.LengthDelimitedFramer, as kube-apiserver's watch handler does.
// Go writes zero values (empty strings, false) that the schema encoder leaves out, and negative times as ten-byte varints.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject, KubeStatus, WatchEvent } from "../../../src/kube/objects.ts";
import { protobufDecoder } from "../../../src/kube/protobuf/index.ts";
import { podRow } from "../../../src/resources/pods.ts";

type Json = Record<string, unknown>;

const PODS: Json[] = [
  {
    metadata: {
      name: "web-7d4b9c-x2x9q",
      namespace: "shop",
      uid: "0d3c",
      resourceVersion: "501",
      creationTimestamp: "2025-05-01T10:00:00Z",
      labels: { app: "web" },
      annotations: { "k8s.io/initial-events-end": "false", note: "x" },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7d4b9c", uid: "r1", controller: true }],
      managedFields: [
        {
          manager: "kubelet",
          operation: "Update",
          apiVersion: "v1",
          time: "2025-05-01T10:00:05Z",
          fieldsType: "FieldsV1",
          fieldsV1: { "f:status": {} },
          subresource: "status",
        },
      ],
    },
    spec: {
      initContainers: [
        { name: "mesh", image: "envoy", restartPolicy: "Always" },
        { name: "setup", image: "busybox" },
      ],
      containers: [
        { name: "app", image: "web:1", env: [{ name: "A", value: "1" }] },
        { name: "log", image: "fluent" },
      ],
      nodeName: "node-a",
      readinessGates: [{ conditionType: "example.com/lb" }],
    },
    status: {
      phase: "Running",
      nominatedNodeName: "node-b",
      podIP: "10.1.2.3",
      podIPs: [{ ip: "10.1.2.3" }, { ip: "fd00::3" }],
      conditions: [
        { type: "Initialized", status: "True" },
        { type: "Ready", status: "True" },
        { type: "example.com/lb", status: "True" },
      ],
      initContainerStatuses: [
        {
          name: "mesh",
          ready: true,
          started: true,
          restartCount: 2,
          image: "envoy",
          imageID: "",
          state: { running: { startedAt: "2025-05-01T10:00:02Z" } },
          lastState: {
            terminated: { exitCode: 137, signal: 9, reason: "OOMKilled", finishedAt: "2025-05-01T10:00:01Z" },
          },
        },
        {
          name: "setup",
          ready: true,
          restartCount: 0,
          image: "busybox",
          imageID: "",
          state: { terminated: { exitCode: 0, reason: "Completed", finishedAt: "2025-05-01T10:00:01Z" } },
        },
      ],
      containerStatuses: [
        {
          name: "app",
          ready: true,
          started: true,
          restartCount: 1,
          image: "web:1",
          imageID: "",
          state: { running: { startedAt: "2025-05-01T10:00:03Z" } },
          lastState: { terminated: { exitCode: -1, reason: "Error", finishedAt: "2025-05-01T10:00:02Z" } },
        },
        {
          name: "log",
          ready: false,
          restartCount: 5,
          image: "fluent",
          imageID: "",
          state: { waiting: { reason: "CrashLoopBackOff", message: "back-off" } },
        },
      ],
    },
  },
  {
    metadata: {
      name: "job-abc",
      namespace: "batch",
      uid: "9f",
      resourceVersion: "502",
      creationTimestamp: "1969-12-31T23:59:58Z",
      deletionTimestamp: "2025-05-01T11:00:00Z",
      ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: "job", uid: "j", controller: false }],
    },
    spec: { containers: [{ name: "main", image: "job" }] },
    status: {
      phase: "Pending",
      reason: "NodeLost",
      containerStatuses: [
        {
          name: "main",
          ready: false,
          restartCount: 0,
          image: "job",
          imageID: "",
          state: { terminated: { exitCode: 2, signal: 0, finishedAt: "2025-05-01T10:30:00Z" } },
        },
      ],
    },
  },
];

const GO_LIST = [
  "azhzAAoNCgJ2MRIHUG9kTGlzdBKBCQopCgASAzUwMxoeZXlKMklqb2liV1YwWVM1ck9ITXVhVzh2ZGpFaWZRIAwS5wYK3gEKEHdl",
  "Yi03ZDRiOWMteDJ4OXESABoEc2hvcCIAKgQwZDNjMgM1MDE4AEIICKCMzcAGEABaCgoDYXBwEgN3ZWJiIgoZazhzLmlvL2luaXRp",
  "YWwtZXZlbnRzLWVuZBIFZmFsc2ViCQoEbm90ZRIBeGonCgpSZXBsaWNhU2V0Ggp3ZWItN2Q0YjljIgJyMSoHYXBwcy92MTABigFE",
  "CgdrdWJlbGV0EgZVcGRhdGUaAnYxIggIpYzNwAYQADIIRmllbGRzVjE6EQoPeyJmOnN0YXR1cyI6e319QgZzdGF0dXMS1gESKAoD",
  "YXBwEgV3ZWI6MSoAOgYKAUESATFCAGoAcgCAAQCIAQCQAQCiAQASIQoDbG9nEgZmbHVlbnQqAEIAagByAIABAIgBAJABAKIBABoA",
  "MgBCAEoAUgZub2RlLWFYAGAAaACCAQCKAQCaAQCiASoKBG1lc2gSBWVudm95KgBCAGoAcgCAAQCIAQCQAQCiAQDCAQZBbHdheXOi",
  "ASQKBXNldHVwEgdidXN5Ym94KgBCAGoAcgCAAQCIAQCQAQCiAQDCAQDiARAKDmV4YW1wbGUuY29tL2xiGqoDCgdSdW5uaW5nEh0K",
  "C0luaXRpYWxpemVkEgRUcnVlGgAiACoAMgA4ABIXCgVSZWFkeRIEVHJ1ZRoAIgAqADIAOAASIAoOZXhhbXBsZS5jb20vbGISBFRy",
  "dWUaACIAKgAyADgAGgAiACoAMggxMC4xLjIuM0JMCgNhcHASDBIKCggIo4zNwAYQABomGiQI////////////ARAAGgVFcnJvciIA",
  "KgAyCAiijM3ABhAAOgAgASgBMgV3ZWI6MToAQgBIAUI3CgNsb2cSHgocChBDcmFzaExvb3BCYWNrT2ZmEghiYWNrLW9mZhoAIAAo",
  "BTIGZmx1ZW50OgBCAEoAUkkKBG1lc2gSDBIKCggIoozNwAYQABoiGiAIiQEQCRoJT09NS2lsbGVkIgAqADIICKGMzcAGEAA6ACAB",
  "KAIyBWVudm95OgBCAEgBUj0KBXNldHVwEiEaHwgAEAAaCUNvbXBsZXRlZCIAKgAyCAihjM3ABhAAOgAaACABKAAyB2J1c3lib3g6",
  "AEIAWgZub2RlLWJiCgoIMTAuMS4yLjNiCQoHZmQwMDo6M3IAiAEAEukBClMKB2pvYi1hYmMSABoFYmF0Y2giACoCOWYyAzUwMjgA",
  "Qg0I/v//////////ARAASggIsKjNwAYQAGoZCgNKb2IaA2pvYiIBaioIYmF0Y2gvdjEwABI9Eh8KBG1haW4SA2pvYioAQgBqAHIA",
  "gAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBABpTCgdQZW5kaW5nGgAiCE5vZGVMb3N0KgAyAEIvCgRtYWlu",
  "EhgaFggCEAAaACIAKgAyCAioms3ABhAAOgAaACAAKAAyA2pvYjoAQgBKAFoAcgCIAQAaACIA",
].join("");

const GO_WATCH = [
  "AAADigoFQURERUQSgAcK/QZrOHMACgkKAnYxEgNQb2QS5wYK3gEKEHdlYi03ZDRiOWMteDJ4OXESABoEc2hvcCIAKgQwZDNjMgM1",
  "MDE4AEIICKCMzcAGEABaCgoDYXBwEgN3ZWJiIgoZazhzLmlvL2luaXRpYWwtZXZlbnRzLWVuZBIFZmFsc2ViCQoEbm90ZRIBeGon",
  "CgpSZXBsaWNhU2V0Ggp3ZWItN2Q0YjljIgJyMSoHYXBwcy92MTABigFECgdrdWJlbGV0EgZVcGRhdGUaAnYxIggIpYzNwAYQADII",
  "RmllbGRzVjE6EQoPeyJmOnN0YXR1cyI6e319QgZzdGF0dXMS1gESKAoDYXBwEgV3ZWI6MSoAOgYKAUESATFCAGoAcgCAAQCIAQCQ",
  "AQCiAQASIQoDbG9nEgZmbHVlbnQqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgZub2RlLWFYAGAAaACCAQCKAQCaAQCiASoK",
  "BG1lc2gSBWVudm95KgBCAGoAcgCAAQCIAQCQAQCiAQDCAQZBbHdheXOiASQKBXNldHVwEgdidXN5Ym94KgBCAGoAcgCAAQCIAQCQ",
  "AQCiAQDCAQDiARAKDmV4YW1wbGUuY29tL2xiGqoDCgdSdW5uaW5nEh0KC0luaXRpYWxpemVkEgRUcnVlGgAiACoAMgA4ABIXCgVS",
  "ZWFkeRIEVHJ1ZRoAIgAqADIAOAASIAoOZXhhbXBsZS5jb20vbGISBFRydWUaACIAKgAyADgAGgAiACoAMggxMC4xLjIuM0JMCgNh",
  "cHASDBIKCggIo4zNwAYQABomGiQI////////////ARAAGgVFcnJvciIAKgAyCAiijM3ABhAAOgAgASgBMgV3ZWI6MToAQgBIAUI3",
  "CgNsb2cSHgocChBDcmFzaExvb3BCYWNrT2ZmEghiYWNrLW9mZhoAIAAoBTIGZmx1ZW50OgBCAEoAUkkKBG1lc2gSDBIKCggIoozN",
  "wAYQABoiGiAIiQEQCRoJT09NS2lsbGVkIgAqADIICKGMzcAGEAA6ACABKAIyBWVudm95OgBCAEgBUj0KBXNldHVwEiEaHwgAEAAa",
  "CUNvbXBsZXRlZCIAKgAyCAihjM3ABhAAOgAaACABKAAyB2J1c3lib3g6AEIAWgZub2RlLWJiCgoIMTAuMS4yLjNiCQoHZmQwMDo6",
  "M3IAiAEAGgAiAAAAAQ4KB0RFTEVURUQSggIK/wFrOHMACgkKAnYxEgNQb2QS6QEKUwoHam9iLWFiYxIAGgViYXRjaCIAKgI5ZjID",
  "NTAyOABCDQj+//////////8BEABKCAiwqM3ABhAAahkKA0pvYhoDam9iIgFqKghiYXRjaC92MTAAEj0SHwoEbWFpbhIDam9iKgBC",
  "AGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAGlMKB1BlbmRpbmcaACIITm9kZUxvc3QqADIAQi8K",
  "BG1haW4SGBoWCAIQABoAIgAqADIICKiazcAGEAA6ABoAIAAoADIDam9iOgBCAEoAWgByAIgBABoAIgAAAACQCghCT09LTUFSSxKD",
  "AQqAAWs4cwAKCQoCdjESA1BvZBJrCjYKABIAGgAiACoAMgM3Nzc4AEIAYiEKGWs4cy5pby9pbml0aWFsLWV2ZW50cy1lbmQSBHRy",
  "dWUSHBoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAaEwoAGgAiACoAMgBKAFoAcgCIAQAaACIAAAAAcQoFRVJST1ISaApmazhz",
  "AAoMCgJ2MRIGU3RhdHVzEk4KBgoAEgAaABIHRmFpbHVyZRojdG9vIG9sZCByZXNvdXJjZSB2ZXJzaW9uOiA0MDAgKDUwMykiB0V4",
  "cGlyZWQqCgoAEgAaACgCMgAwmgMaACIA",
].join("");

const rows = (pods: readonly unknown[]) => pods.map((p) => podRow(p as KubeObject));

test("a PodList from Go's protobuf serializer gives the rows of its JSON", () => {
  const page = protobufDecoder.decodeList(Buffer.from(GO_LIST, "base64"));
  assert.equal(page.resourceVersion, "503");
  assert.equal(page.continueToken, "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ");
  assert.equal(page.remainingItemCount, 12);
  assert.deepEqual(rows(page.items), rows(PODS));
  // The rows exercise what they should: a sidecar, signals, a negative time, NodeLost, gates, a nominated node.
  const [web, job] = rows(page.items);
  assert.equal(web!.ready, "2/3");
  assert.equal(web!.status, "CrashLoopBackOff");
  assert.equal(web!.readinessGates, "1/1");
  assert.equal(web!.nominatedNode, "node-b");
  assert.equal(job!.createdAt, -2000);
  assert.equal(job!.status, "Unknown");
  assert.equal(job!.ownerKind, "");
  assert.equal(page.items[0]!.metadata?.annotations?.["k8s.io/initial-events-end"], "false");
});

test("a watch stream framed like kube-apiserver's, whole and split at every byte", () => {
  const stream = Buffer.from(GO_WATCH, "base64");
  const decode = (chunks: Buffer[]): WatchEvent[] => {
    const events: WatchEvent[] = [];
    const parser = protobufDecoder.watchParser((e) => events.push(e));
    for (const chunk of chunks) parser.push(chunk);
    return events;
  };
  const events = decode([stream]);
  assert.deepEqual(
    events.map((e) => e.type),
    ["ADDED", "DELETED", "BOOKMARK", "ERROR"],
  );
  assert.deepEqual(rows(events.slice(0, 2).map((e) => e.object)), rows(PODS));
  assert.equal(events[0]!.object.kind, "Pod");
  assert.equal(events[2]!.object.metadata?.resourceVersion, "777");
  assert.deepEqual(events[2]!.object.metadata?.annotations, { "k8s.io/initial-events-end": "true" });
  const status = events[3]!.object as unknown as KubeStatus;
  assert.deepEqual(
    [status.kind, status.code, status.reason, status.message, status.details?.retryAfterSeconds],
    ["Status", 410, "Expired", "too old resource version: 400 (503)", 2],
  );
  const whole = JSON.stringify(events);
  for (let cut = 1; cut < stream.length; cut++) {
    assert.equal(JSON.stringify(decode([stream.subarray(0, cut), stream.subarray(cut)])), whole, `split at ${cut}`);
  }
});
