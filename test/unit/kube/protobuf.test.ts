// The protobuf WireDecoder for pods: the wire reader, metav1.Time, the envelope, PodList, watch frames split anywhere,
// ERROR and BOOKMARK events, the JSON fallback, and podRow equality between the JSON and protobuf forms of the same pods.
// Bytes are built field by field with ProtoWriter (hand-made) or from JSON with the schema encoder.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { realisticPod } from "../../../bench/protobuf-decode.ts";
import { KubeError } from "../../../src/kube/errors.ts";
import type { KubeObject, KubeStatus, WatchEvent } from "../../../src/kube/objects.ts";
import {
  encodePod,
  encodePodList,
  encodeStatus,
  envelope,
  ProtoWriter,
  watchFrame,
} from "../../../src/kube/protobuf/encoder.ts";
import { decodeObject, protobufDecoder } from "../../../src/kube/protobuf/index.ts";
import { MessageCache, ProtoReader } from "../../../src/kube/protobuf/reader.ts";
import { formatTime } from "../../../src/kube/protobuf/time.ts";
import { statusError } from "../../../src/kube/wire.ts";
import { podRow } from "../../../src/resources/pods.ts";
import { ClusterModel } from "../../../src/sim/generate.ts";
import { podCaseGroups } from "../resources/pod-cases.ts";

type Json = Record<string, unknown>;

const NOW = Date.parse("2025-06-01T12:00:00Z");

function isProtocolError(err: unknown): boolean {
  return err instanceof KubeError && err.kind === "protocol";
}

function collect(stream: Buffer, chunks: Buffer[] = [stream]): WatchEvent[] {
  const events: WatchEvent[] = [];
  const parser = protobufDecoder.watchParser((e) => events.push(e));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe("ProtoReader", () => {
  const read = (bytes: number[]) => new ProtoReader(Buffer.from(bytes));

  test("varints of one to several bytes", () => {
    assert.equal(read([0]).varint(), 0);
    assert.equal(read([0x7f]).varint(), 127);
    assert.equal(read([0x80, 0x01]).varint(), 128);
    assert.equal(read([0xac, 0x02]).varint(), 300);
    const w = new ProtoWriter().rawVarint(2 ** 40 + 5).rawVarint(1_700_000_000);
    const r = new ProtoReader(w.finish());
    assert.equal(r.varint(), 2 ** 40 + 5);
    assert.equal(r.varint(), 1_700_000_000);
    assert.equal(r.pos, r.buf.length);
  });

  test("negative int32 and int64 (ten bytes, two's complement)", () => {
    const bytes = new ProtoWriter()
      .rawVarint(-1)
      .rawVarint(-137)
      .rawVarint(-62135596800)
      .rawVarint(2 ** 31 - 1)
      .finish();
    const r = new ProtoReader(bytes);
    assert.equal(r.int32(), -1);
    assert.equal(r.int32(), -137);
    assert.equal(r.int64(), -62135596800); // 0001-01-01T00:00:00Z in Unix seconds
    assert.equal(r.int32(), 2 ** 31 - 1);
  });

  test("skips every wire type", () => {
    const bytes = new ProtoWriter()
      .varint(1, 300)
      .tag(2, 1)
      .raw(Buffer.alloc(8, 0xff))
      .string(3, "skipped")
      .tag(4, 5)
      .raw(Buffer.alloc(4, 0xff))
      .varint(5, 42)
      .finish();
    const r = new ProtoReader(bytes);
    for (let i = 0; i < 4; i++) r.skip(r.varint() & 7);
    assert.equal(r.varint(), (5 << 3) | 0);
    assert.equal(r.varint(), 42);
  });

  test("symbols: recurring strings come back right through collisions, evictions, UTF-8 and long values", () => {
    const values = Array.from({ length: 20_000 }, (_, i) => `node-${i % 7000}`);
    values.push("", "é-ñ-日本", "x".repeat(48), "y".repeat(49), "node-1");
    const w = new ProtoWriter();
    for (const v of values) w.string(1, v);
    const r = new ProtoReader(w.finish());
    const read = values.map(() => {
      r.varint();
      return r.symbol();
    });
    assert.deepEqual(read, values);
  });

  test("a message cache gives each message's own value through collisions, evictions and oversized messages", () => {
    // Two slots for 50 distinct messages: most reads collide or find their entry evicted.
    const cache = new MessageCache<string>(2, 8);
    const values = Array.from({ length: 500 }, (_, i) => `m${(Math.floor(i / 2) * 7) % 50}`); // each twice in a row
    values.push("", "longer than eight bytes", "m3");
    const w = new ProtoWriter();
    for (const v of values) w.string(1, v);
    const r = new ProtoReader(w.finish());
    let decoded = 0;
    const read = values.map(() => {
      r.varint();
      return cache.read(r, (rr, end) => {
        decoded++;
        const text = rr.buf.toString("utf8", rr.pos, end);
        rr.pos = end;
        return text;
      });
    });
    assert.deepEqual(read, values);
    assert.ok(decoded < values.length, "some messages came from the cache");
  });

  test("truncated and malformed input is a protocol error, never an out-of-bounds read", () => {
    assert.throws(() => read([0x80]).varint(), isProtocolError);
    assert.throws(() => read(Array(11).fill(0xff)).varint(), isProtocolError);
    assert.throws(() => read([0x05, 0x61]).string(), isProtocolError);
    assert.throws(() => read([0x00]).skip(3), isProtocolError);
    assert.throws(() => read([0x00, 0x00]).skip(1), isProtocolError);
  });
});

describe("metav1.Time", () => {
  test("formats like the JSON form (RFC 3339, UTC, whole seconds)", () => {
    assert.equal(formatTime(0), "1970-01-01T00:00:00Z");
    assert.equal(formatTime(1704164645), "2024-01-02T03:04:05Z");
    assert.equal(formatTime(1709164800), "2024-02-29T00:00:00Z");
    assert.equal(formatTime(-1), "1969-12-31T23:59:59Z");
    assert.equal(formatTime(-62135596800), "0001-01-01T00:00:00Z");
    assert.equal(formatTime(253402300799), "9999-12-31T23:59:59Z");
  });

  test("agrees with Date over a spread of instants", () => {
    for (let s = -2_000_000_000; s < 5_000_000_000; s += 9_876_543) {
      assert.equal(formatTime(s), new Date(s * 1000).toISOString().replace(".000Z", "Z"), String(s));
    }
  });
});

/** A Pod message written field by field, with fields the decoder must skip interleaved. */
function handBuiltPod(name: string, extra: (w: ProtoWriter) => void = () => {}): Buffer {
  return new ProtoWriter()
    .message(1, (m) =>
      m
        .string(1, name)
        .string(2, `${name}-`) // generateName: skipped
        .string(3, "prod")
        .string(5, `uid-${name}`)
        .string(6, "41")
        .message(8, (t) => t.varint(1, 1704164645).varint(2, 999)) // nanos are dropped, as in Go
        .message(11, (l) => l.string(1, "app").string(2, "web")) // labels: skipped
        .message(12, (a) => a.string(1, "big").string(2, "x".repeat(5000))) // annotations: skipped
        .message(13, (o) => o.string(5, "apps/v1").string(1, "ReplicaSet").string(3, "web-1").varint(6, true))
        .message(17, (f) => f.string(1, "kubelet").message(7, (v) => v.bytes(1, Buffer.from('{"f:status":{}}')))),
    )
    .message(2, (s) =>
      s
        .message(1, (v) => v.string(1, "tmp")) // volumes: skipped
        .message(2, (c) => c.string(1, "app").message(7, (e) => e.string(1, "A").string(2, "1")))
        .message(2, (c) => c.string(1, "sidecar"))
        .string(10, "node-1")
        .tag(99, 5) // an unknown fixed32 field from a newer server
        .raw(Buffer.alloc(4)),
    )
    .message(3, (st) => {
      st.string(1, "Running")
        .message(2, (c) =>
          c
            .string(1, "Ready")
            .string(2, "True")
            .message(4, (t) => t.varint(1, 1704164700)),
        )
        .string(6, "10.0.0.1")
        .message(8, (cs) =>
          cs
            .string(1, "app")
            .message(2, (state) => state.message(2, (run) => run.message(1, (t) => t.varint(1, 1704164650))))
            .message(3, (last) =>
              last.message(3, (term) =>
                term
                  .varint(1, -1)
                  .varint(2, 9)
                  .string(3, "Error")
                  .message(6, (t) => t.varint(1, 1704164649)),
              ),
            )
            .varint(4, true)
            .varint(5, 3)
            .varint(9, true),
        );
      extra(st);
    })
    .finish();
}

describe("LIST (PodList)", () => {
  const list = new ProtoWriter()
    .message(1, (m) => m.string(2, "12345").string(3, "next-page").varint(4, 250))
    .bytes(2, handBuiltPod("a"))
    .bytes(2, handBuiltPod("b"))
    .finish();
  const body = envelope("v1", "PodList", list);

  test("list metadata and the fields podRow reads", () => {
    const page = protobufDecoder.decodeList(body);
    assert.equal(page.resourceVersion, "12345");
    assert.equal(page.continueToken, "next-page");
    assert.equal(page.remainingItemCount, 250);
    assert.equal(page.items.length, 2);
    const a = page.items[0]!;
    assert.deepEqual(JSON.parse(JSON.stringify(a)), {
      metadata: {
        name: "a",
        namespace: "prod",
        uid: "uid-a",
        resourceVersion: "41",
        creationTimestamp: "2024-01-02T03:04:05Z",
        ownerReferences: [{ kind: "ReplicaSet", name: "web-1", controller: true }],
      },
      spec: { nodeName: "node-1", containers: [{}, {}] },
      status: {
        phase: "Running",
        podIP: "10.0.0.1",
        conditions: [{ type: "Ready", status: "True" }],
        containerStatuses: [
          {
            ready: true,
            started: true,
            restartCount: 3,
            state: { running: {} },
            lastState: {
              terminated: { exitCode: -1, signal: 9, reason: "Error", finishedAt: "2024-01-02T03:04:09Z" },
            },
          },
        ],
      },
    });
    assert.equal(page.items[1]!.metadata?.name, "b");
  });

  test("a last page has no continue token and no remaining count", () => {
    const page = protobufDecoder.decodeList(
      envelope("v1", "PodList", new ProtoWriter().message(1, (m) => m.string(2, "9")).finish()),
    );
    assert.deepEqual(page, { resourceVersion: "9", continueToken: "", remainingItemCount: undefined, items: [] });
  });

  test("a JSON answer (the Accept header allows it) goes to the JSON decoder", () => {
    const json = Buffer.from(
      JSON.stringify({ kind: "PodList", metadata: { resourceVersion: "7" }, items: [{ metadata: { name: "j" } }] }),
    );
    const page = protobufDecoder.decodeList(json);
    assert.equal(page.resourceVersion, "7");
    assert.equal(page.items[0]!.metadata?.name, "j");
  });

  test("accept is client-go's default: protobuf, then JSON", () => {
    assert.equal(protobufDecoder.accept, "application/vnd.kubernetes.protobuf,application/json");
  });

  test("what it cannot read is a protocol error that says so", () => {
    assert.throws(() => protobufDecoder.decodeList(Buffer.from([1, 2, 3])), isProtocolError);
    assert.throws(
      () => protobufDecoder.decodeList(envelope("apps/v1", "DeploymentList", Buffer.alloc(0))),
      /DeploymentList, expected PodList/,
    );
    const gzipped = new ProtoWriter()
      .raw(Buffer.from("k8s\0", "latin1"))
      .message(1, (t) => t.string(1, "v1").string(2, "PodList"))
      .bytes(2, Buffer.alloc(0))
      .string(3, "gzip")
      .finish();
    assert.throws(() => protobufDecoder.decodeList(gzipped), /content encoding gzip/);
    assert.throws(() => protobufDecoder.decodeList(body.subarray(0, body.length - 10)), isProtocolError);
  });
});

describe("GET (decodeObject)", () => {
  test("a Pod gets apiVersion and kind from the envelope", () => {
    const pod = decodeObject(envelope("v1", "Pod", handBuiltPod("g")));
    assert.equal(pod.kind, "Pod");
    assert.equal(pod.apiVersion, "v1");
    assert.equal(pod.metadata?.name, "g");
  });

  test("JSON passes through", () => {
    assert.equal(decodeObject(Buffer.from('{"kind":"Pod","metadata":{"name":"j"}}')).metadata?.name, "j");
  });
});

// A watch stream: every kind of event, one Status, one BOOKMARK ending the initial events.
const expiredStatus = {
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Failure",
  message: "too old resource version: 100 (200)",
  reason: "Expired",
  code: 410,
  details: { retryAfterSeconds: 3 },
};
const bookmark = new ProtoWriter()
  .message(1, (m) =>
    m
      .string(6, "200")
      .message(12, (a) => a.string(1, "other").string(2, "ignored"))
      .message(12, (a) => a.string(1, "k8s.io/initial-events-end").string(2, "true")),
  )
  .message(2, () => {})
  .message(3, () => {})
  .finish();
const stream = Buffer.concat([
  watchFrame("ADDED", envelope("v1", "Pod", handBuiltPod("w1"))),
  watchFrame(
    "MODIFIED",
    envelope(
      "v1",
      "Pod",
      handBuiltPod("w2", (st) => st.string(11, "node-9")),
    ),
  ),
  watchFrame("BOOKMARK", envelope("v1", "Pod", bookmark)),
  watchFrame("DELETED", envelope("v1", "Pod", handBuiltPod("w3"))),
  watchFrame("ERROR", encodeStatus(expiredStatus)),
]);

describe("WATCH (length-delimited frames)", () => {
  const events = collect(stream);

  test("events in order with their types and objects", () => {
    assert.deepEqual(
      events.map((e) => [e.type, e.object.kind, e.object.metadata?.name]),
      [
        ["ADDED", "Pod", "w1"],
        ["MODIFIED", "Pod", "w2"],
        ["BOOKMARK", "Pod", undefined],
        ["DELETED", "Pod", "w3"],
        ["ERROR", "Status", undefined],
      ],
    );
    assert.equal((events[1]!.object.status as Json).nominatedNodeName, "node-9");
  });

  test("BOOKMARK: resourceVersion and the initial-events-end annotation, nothing else", () => {
    const meta = events[2]!.object.metadata;
    assert.equal(meta?.resourceVersion, "200");
    assert.deepEqual(meta?.annotations, { "k8s.io/initial-events-end": "true" });
  });

  test("ERROR 410: the Status and the KubeError the reflector makes of it", () => {
    const status = events[4]!.object as unknown as KubeStatus;
    assert.equal(status.code, 410);
    assert.equal(status.reason, "Expired");
    assert.equal(status.message, "too old resource version: 100 (200)");
    assert.equal(status.details?.retryAfterSeconds, 3);
    const err = statusError(status);
    assert.ok(err.isGone);
    assert.equal(err.retryAfterMs, 3000);
  });

  test("the same events however the stream is split in two", () => {
    const whole = JSON.stringify(events);
    for (let cut = 0; cut <= stream.length; cut++) {
      const split = collect(stream, [stream.subarray(0, cut), stream.subarray(cut)]);
      assert.equal(JSON.stringify(split), whole, `split at ${cut}`);
    }
  });

  test("the same events fed one byte at a time, and in three uneven pieces at every offset", () => {
    const whole = JSON.stringify(events);
    const bytes = Array.from(stream, (_, i) => stream.subarray(i, i + 1));
    assert.equal(JSON.stringify(collect(stream, bytes)), whole);
    for (let cut = 0; cut + 7 <= stream.length; cut += 3) {
      const pieces = [stream.subarray(0, cut), stream.subarray(cut, cut + 7), stream.subarray(cut + 7)];
      assert.equal(JSON.stringify(collect(stream, pieces)), whole, `cuts at ${cut} and ${cut + 7}`);
    }
  });

  test("a frame still incomplete at the end produces nothing (yet)", () => {
    const first = watchFrame("ADDED", envelope("v1", "Pod", handBuiltPod("w1")));
    assert.equal(collect(first, [first.subarray(0, first.length - 1)]).length, 0);
    assert.equal(collect(first, [first.subarray(0, 3)]).length, 0);
  });

  test("an error thrown by the callback (the reflector on ERROR) propagates and the frame is not replayed", () => {
    const seen: string[] = [];
    const parser = protobufDecoder.watchParser((e) => {
      seen.push(e.type);
      if (e.type === "ERROR") throw statusError(e.object as never);
    });
    const error = watchFrame("ERROR", encodeStatus(expiredStatus));
    assert.throws(
      () => parser.push(error),
      (err: unknown) => err instanceof KubeError && err.isGone,
    );
    assert.deepEqual(seen, ["ERROR"]);
  });

  test("a JSON watch stream (the server's fallback) goes to the JSON parser", () => {
    const lines = Buffer.from(
      `${JSON.stringify({ type: "ADDED", object: { kind: "Pod", metadata: { name: "j" } } })}\n` +
        `${JSON.stringify({ type: "BOOKMARK", object: { kind: "Pod", metadata: { resourceVersion: "5" } } })}\n`,
    );
    const events = collect(lines, [lines.subarray(0, 10), lines.subarray(10)]);
    assert.deepEqual(
      events.map((e) => e.type),
      ["ADDED", "BOOKMARK"],
    );
  });

  test("a corrupt frame length or event is a protocol error", () => {
    assert.throws(() => collect(Buffer.from([0x08, 0xff, 0xff, 0xff])), /watch frame of/);
    const noObject = new ProtoWriter().string(1, "ADDED").finish();
    const header = Buffer.alloc(4);
    header.writeUInt32BE(noObject.length);
    assert.throws(() => collect(Buffer.concat([header, noObject])), /ADDED event without an object/);
    assert.throws(
      () => collect(watchFrame("ADDED", envelope("v1", "Secret", Buffer.alloc(0)))),
      /Secret, expected Pod/,
    );
  });
});

describe("JSON and protobuf give the same rows", () => {
  const rowsOf = (pods: KubeObject[]) => JSON.stringify(pods.map(podRow));

  test("every STATUS/READY/RESTARTS case of the pod tests, through LIST and WATCH", () => {
    const pods = podCaseGroups(NOW).flatMap((g) => g.cases.map((c) => c.pod));
    assert.ok(pods.length > 30);
    const listed = protobufDecoder.decodeList(encodePodList({ items: pods as Json[] })).items;
    assert.equal(rowsOf(listed), rowsOf(pods));
    const watched = collect(Buffer.concat(pods.map((p) => watchFrame("MODIFIED", encodePod(p as Json))))).map(
      (e) => e.object,
    );
    assert.equal(rowsOf(watched), rowsOf(pods));
  });

  test("realistic pods (managedFields, env, volumes, probes; some crashing, some with init containers)", () => {
    const pods = Array.from({ length: 40 }, (_, i) => realisticPod(i)) as KubeObject[];
    const body = encodePodList({ metadata: { resourceVersion: "1" }, items: pods as Json[] });
    const json = Buffer.from(JSON.stringify({ items: pods }));
    // The protobuf form is the smaller, and both decode to the same rows.
    assert.ok(body.length < json.length);
    assert.equal(rowsOf(protobufDecoder.decodeList(body).items), rowsOf(pods));
  });

  test("the simulator's generated cluster (every workload kind and pod state it makes)", () => {
    const model = new ClusterModel(3, NOW);
    model.plan(300);
    const pods: KubeObject[] = [];
    for (const w of model.workloads) for (let i = 0; i < w.replicas; i++) pods.push(model.makePod(w, i));
    assert.ok(new Set(pods.map((p) => podRow(p).status)).size > 3);
    assert.equal(rowsOf(protobufDecoder.decodeList(encodePodList({ items: pods as Json[] })).items), rowsOf(pods));
  });

  test("sub-messages shared between pods are frozen, and pods that differ in them do not share them", () => {
    const base = realisticPod(1) as KubeObject;
    const other = structuredClone(base);
    const spec = other.spec as { containers: { resources: Json }[] };
    spec.containers[0]!.resources = { requests: { cpu: "3", memory: "1Gi" }, limits: { cpu: "3", memory: "1Gi" } };
    const pods = [base, structuredClone(base), other, structuredClone(base)];
    const items = protobufDecoder.decodeList(encodePodList({ items: pods as Json[] })).items;
    assert.equal(rowsOf(items), rowsOf(pods));
    const resourcesOf = (o: KubeObject) => (o.spec as { containers: { resources: Json }[] }).containers[0]!.resources;
    assert.equal(resourcesOf(items[0]!), resourcesOf(items[1]!));
    assert.notEqual(resourcesOf(items[0]!), resourcesOf(items[2]!));
    assert.ok(Object.isFrozen(resourcesOf(items[0]!)));
    const conditions = (items[3]!.status as { conditions: Json[] }).conditions;
    assert.equal(conditions, (items[0]!.status as { conditions: Json[] }).conditions);
    assert.ok(Object.isFrozen(conditions) && Object.isFrozen(conditions[0]));
  });

  test("the decoded object keeps nothing podRow does not read", () => {
    const pod = protobufDecoder.decodeList(encodePodList({ items: [realisticPod(5)] })).items[0]!;
    const text = JSON.stringify(pod);
    for (const absent of ["managedFields", "labels", "env", "volumes", "image", "hostIP", "startTime", "qosClass"]) {
      assert.ok(!text.includes(absent), absent);
    }
  });
});
