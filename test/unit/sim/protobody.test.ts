// Request bodies in protobuf: every generated pod encoded by the protobuf encoder reads back as its JSON (so the list
// of repeated fields and the scalar types are right), and the review, eviction and DeleteOptions messages kubectl sends.
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodePod, envelope, ProtoWriter } from "../../../src/kube/protobuf/encoder.ts";
import { populate } from "../../../src/sim/populate.ts";
import { decodeProtobufBody } from "../../../src/sim/protobody.ts";
import { Store } from "../../../src/sim/store.ts";

type Json = Record<string, unknown>;

/** The JSON the decoder can give back: nulls, empty strings and lists left out as the wire cannot tell them apart. */
function comparable(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(comparable) : undefined;
  if (v === null || v === "") return undefined;
  if (typeof v !== "object") return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v as Json)) {
    const c = comparable(x);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

test("generated pods, protobuf-encoded, decode back to their JSON", () => {
  const store = new Store({ historyWindow: 100 });
  populate(store, { pods: 150, seed: 9, now: Date.parse("2026-01-01T00:00:00Z") });
  const ks = store.kind("pods");
  let n = 0;
  for (const key of ks.keys) {
    const pod = JSON.parse(ks.entries.get(key)!.cur.buf!.toString()) as Json;
    const decoded = decodeProtobufBody(encodePod(pod));
    assert.deepEqual(comparable(decoded), comparable(pod), key);
    n++;
  }
  assert.equal(n, 150);
});

test("Eviction with DeleteOptions, DeleteOptions and a SelfSubjectAccessReview", () => {
  const str = (w: ProtoWriter, field: number, s: string) => w.bytes(field, Buffer.from(s));
  const meta = new ProtoWriter();
  str(meta, 1, "web-1");
  str(meta, 3, "shop");
  const pre = new ProtoWriter();
  str(pre, 1, "uid-1");
  const opts = new ProtoWriter();
  opts.varint(1, 5);
  opts.bytes(2, pre.finish());
  str(opts, 4, "Foreground");
  str(opts, 5, "All");
  const optsBytes = opts.finish();
  const ev = new ProtoWriter();
  ev.bytes(1, meta.finish());
  ev.bytes(2, optsBytes);
  assert.deepEqual(decodeProtobufBody(envelope("policy/v1", "Eviction", ev.finish())), {
    apiVersion: "policy/v1",
    kind: "Eviction",
    metadata: { name: "web-1", namespace: "shop" },
    deleteOptions: {
      gracePeriodSeconds: 5,
      preconditions: { uid: "uid-1" },
      propagationPolicy: "Foreground",
      dryRun: ["All"],
    },
  });
  assert.deepEqual(decodeProtobufBody(envelope("v1", "DeleteOptions", optsBytes)).propagationPolicy, "Foreground");
  const attrs = new ProtoWriter();
  str(attrs, 1, "shop");
  str(attrs, 2, "create");
  str(attrs, 5, "pods");
  str(attrs, 6, "eviction");
  const spec = new ProtoWriter();
  spec.bytes(1, attrs.finish());
  const review = new ProtoWriter();
  review.bytes(2, spec.finish());
  const decoded = decodeProtobufBody(envelope("authorization.k8s.io/v1", "SelfSubjectAccessReview", review.finish()));
  assert.deepEqual(decoded.spec, {
    resourceAttributes: { namespace: "shop", verb: "create", resource: "pods", subresource: "eviction" },
  });
  assert.throws(() => decodeProtobufBody(envelope("v1", "Secret", Buffer.alloc(0))), /no protobuf decoding for Secret/);
  assert.throws(() => decodeProtobufBody(Buffer.from("{}")), /prefix/);
});
