// The simulator answers pods in protobuf when the Accept header negotiates it, as kube-apiserver does: LIST pages
// (PodList in the k8s\0 envelope), WATCH (length-prefixed WatchEvent frames, watch-list bookmarks included), GET, and
// error Statuses. What a protobuf client reads must be what the JSON one reads: rows compared row for row, the objects
// our decoder keeps compared field by field, and every field of every generated pod checked with a schema-driven
// decoder written here (so a field the encoder dropped or mangled shows up, even one the client never reads).
import assert from "node:assert/strict";
import https from "node:https";
import { after, before, describe, test } from "node:test";
import type { KubeObject, KubeStatus, WatchEvent } from "../../../src/kube/objects.ts";
import { readEnvelope } from "../../../src/kube/protobuf/envelope.ts";
import { decodeObject, protobufDecoder } from "../../../src/kube/protobuf/index.ts";
import { ProtoReader } from "../../../src/kube/protobuf/reader.ts";
import { schema } from "../../../src/kube/protobuf/schema.ts";
import { formatTime } from "../../../src/kube/protobuf/time.ts";
import { jsonDecoder } from "../../../src/kube/wire.ts";
import { podRow } from "../../../src/resources/pods.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";
import { negotiateError, negotiateResource, parseAccept } from "../../../src/sim/negotiate.ts";

type Json = Record<string, unknown>;

const PROTOBUF = "application/vnd.kubernetes.protobuf";
/** What our client (and client-go) sends for pods. */
const CLIENT_ACCEPT = protobufDecoder.accept;

let sim: SimServer;

before(async () => {
  sim = await startSimServer({ pods: 300, seed: 11, bookmarkIntervalMs: 0, deleteGraceMs: 100, churn: 0 });
});

after(async () => {
  await sim.stop();
});

interface Raw {
  status: number;
  type: string;
  body: Buffer;
}

function get(path: string, accept: string | undefined): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${sim.token}` };
    if (accept !== undefined) headers.accept = accept;
    const req = https.request(`${sim.url}${path}`, { headers, ca: sim.caPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers["content-type"] ?? "", body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** A watch whose bytes are decoded by `decoder` as they come; `until(n)` waits for n events. */
function watch(path: string, accept: string) {
  const events: WatchEvent[] = [];
  const raw: Buffer[] = [];
  let type = "";
  let waiter: (() => void) | undefined;
  const parser = (accept.startsWith(PROTOBUF) ? protobufDecoder : jsonDecoder).watchParser((e) => {
    events.push(e);
    waiter?.();
  });
  let ended = false;
  const req = https.request(
    `${sim.url}${path}`,
    { headers: { authorization: `Bearer ${sim.token}`, accept }, ca: sim.caPem, agent: false },
    (res) => {
      type = res.headers["content-type"] ?? "";
      res.on("data", (c: Buffer) => {
        raw.push(c);
        parser.push(c);
      });
      res.on("end", () => {
        ended = true;
        waiter?.();
      });
    },
  );
  req.on("error", () => {});
  req.end();
  return {
    events,
    raw,
    type: () => type,
    async until(n: number): Promise<void> {
      const deadline = Date.now() + 20_000;
      while (events.length < n && !ended) {
        if (Date.now() > deadline) throw new Error(`${events.length} of ${n} events`);
        await new Promise<void>((r) => {
          waiter = r;
          setTimeout(r, 200);
        });
      }
    },
    close: () => req.destroy(),
  };
}

/** Every page of a paginated pod LIST; `rv`: read at that revision (Exact), so two lists can be compared. */
async function listAll(accept: string, limit: number, rv?: string) {
  const pages: { items: KubeObject[]; continueToken: string; resourceVersion: string; remaining?: number }[] = [];
  let token = "";
  do {
    const q = new URLSearchParams({ limit: String(limit) });
    if (token) q.set("continue", token);
    else if (rv) {
      q.set("resourceVersion", rv);
      q.set("resourceVersionMatch", "Exact");
    }
    const r = await get(`/api/v1/pods?${q}`, accept);
    assert.equal(r.status, 200, r.body.toString());
    const page = (accept.startsWith(PROTOBUF) ? protobufDecoder : jsonDecoder).decodeList(r.body);
    pages.push({
      items: page.items,
      continueToken: page.continueToken,
      resourceVersion: page.resourceVersion,
      remaining: page.remainingItemCount,
    });
    token = page.continueToken;
  } while (token);
  return pages;
}

// ---- a schema-driven decoder (the test's own): protobuf → every field as a list of its occurrences ----

type Decoded = Map<string, unknown[]>;

function decodeMessage(type: string, buf: Buffer, start: number, end: number): Decoded {
  const fields = schema[type];
  assert.ok(fields, `no schema for ${type}`);
  const byNumber = new Map<number, [string, string]>();
  for (const name in fields) byNumber.set(fields[name]![0], [name, fields[name]![1]]);
  const out: Decoded = new Map();
  const r = new ProtoReader(buf, start);
  while (r.pos < end) {
    const t = r.varint();
    const entry = byNumber.get(t >> 3);
    assert.ok(entry, `${type}: unknown field ${t >> 3}`);
    const [name, kind] = entry;
    let value: unknown;
    if ((t & 7) === 0) value = r.varint();
    else {
      const e = r.delimited();
      value = { buf, start: r.pos, end: e, kind };
      r.pos = e;
    }
    if (kind.startsWith("inline:")) {
      const v = value as { start: number; end: number };
      for (const [k, vs] of decodeMessage(kind.slice(7), buf, v.start, v.end))
        out.set(k, [...(out.get(k) ?? []), ...vs]);
      continue;
    }
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

/** Asserts that the decoded occurrences of a field are the JSON value `json` of that field. */
function expectValue(kind: string, occurrences: unknown[] | undefined, json: unknown, where: string): void {
  const got = occurrences ?? [];
  if (json === undefined || json === null) {
    assert.equal(got.length, 0, `${where}: present in protobuf, absent in JSON`);
    return;
  }
  if (Array.isArray(json)) {
    assert.equal(got.length, json.length, `${where}: ${got.length} elements, JSON has ${json.length}`);
    json.forEach((item, i) => {
      expectValue(kind, [got[i]], item, `${where}[${i}]`);
    });
    return;
  }
  if (kind === "map" || kind === "quantityMap") {
    const map: Json = {};
    for (const entry of got as { buf: Buffer; start: number; end: number }[]) {
      const e = new ProtoReader(entry.buf, entry.start);
      let key = "";
      let value: unknown;
      while (e.pos < entry.end) {
        const t = e.varint();
        if (t === 10) key = e.string();
        else if (kind === "map") value = e.string();
        else value = quantityOf(e);
      }
      map[key] = value;
    }
    const expected = Object.fromEntries(
      Object.entries(json as Json).map(([k, v]) => [k, kind === "quantityMap" ? String(v) : v]),
    );
    assert.deepEqual(map, expected, where);
    return;
  }
  assert.equal(got.length, 1, `${where}: ${got.length} occurrences of a single value`);
  const v = got[0];
  switch (kind) {
    case "string":
      assert.equal(text(v), json, where);
      return;
    case "int32":
    case "int64":
      assert.equal(v, json, where);
      return;
    case "bool":
      assert.equal(v === 1, json, where);
      return;
    case "time": {
      const m = v as { buf: Buffer; start: number; end: number };
      const r = new ProtoReader(m.buf, m.start);
      let seconds = 0;
      while (r.pos < m.end) if (r.varint() === 8) seconds = r.int64();
      assert.equal(formatTime(seconds), formatTime(Math.floor(Date.parse(json as string) / 1000)), where);
      return;
    }
    case "quantity": {
      const m = v as { buf: Buffer; start: number };
      assert.equal(quantityOf(new ProtoReader(m.buf, m.start - 1)), String(json), where);
      return;
    }
    case "intOrString": {
      const m = decodeRaw(v);
      const r = new ProtoReader(m.buf, m.start);
      let value: unknown;
      while (r.pos < m.end) {
        const t = r.varint();
        if (t === 8) r.varint();
        else if (t === 16) value = r.int32();
        else value = r.string();
      }
      assert.equal(value, json, where);
      return;
    }
    case "fieldsV1": {
      const m = decodeRaw(v);
      const r = new ProtoReader(m.buf, m.start);
      r.varint();
      assert.deepEqual(JSON.parse(r.string()), json, where);
      return;
    }
    default: {
      const m = decodeRaw(v);
      expectMessage(kind, decodeMessage(kind, m.buf, m.start, m.end), json as Json, where);
    }
  }
}

function decodeRaw(v: unknown): { buf: Buffer; start: number; end: number } {
  return v as { buf: Buffer; start: number; end: number };
}

function text(v: unknown): string {
  const m = decodeRaw(v);
  return m.buf.toString("utf8", m.start, m.end);
}

/** A Quantity message whose length prefix is at r.pos. */
function quantityOf(r: ProtoReader): string {
  const end = r.delimited();
  let s = "";
  while (r.pos < end) if (r.varint() === 10) s = r.string();
  return s;
}

/** Every JSON field is in the decoded message with the same value, and the message has no field JSON lacks. */
function expectMessage(type: string, decoded: Decoded, json: Json, where: string): void {
  const fields = schema[type]!;
  const flat = new Map<string, string>();
  for (const name in fields) {
    const kind = fields[name]![1];
    if (kind.startsWith("inline:"))
      for (const inner in schema[kind.slice(7)]!) flat.set(inner, schema[kind.slice(7)]![inner]![1]);
    else flat.set(name, kind);
  }
  for (const key of Object.keys(json)) {
    assert.ok(flat.has(key), `${where}.${key} is not in the schema`);
    expectValue(flat.get(key)!, decoded.get(key), json[key], `${where}.${key}`);
  }
  for (const key of decoded.keys()) assert.ok(key in json, `${where}.${key}: in protobuf, not in JSON`);
}

/** Our decoder keeps a subset of each object: every value it kept equals the JSON object's at the same place. */
function expectKeptEqual(kept: unknown, json: unknown, where: string): void {
  if (kept === undefined) return;
  if (Array.isArray(kept)) {
    assert.ok(Array.isArray(json), `${where}: not a list in JSON`);
    assert.equal(kept.length, json.length, `${where}: length`);
    kept.forEach((k, i) => {
      expectKeptEqual(k, (json as unknown[])[i], `${where}[${i}]`);
    });
    return;
  }
  if (kept !== null && typeof kept === "object") {
    assert.ok(json !== null && typeof json === "object", `${where}: not an object in JSON`);
    for (const [k, v] of Object.entries(kept)) expectKeptEqual(v, (json as Json)[k], `${where}.${k}`);
    return;
  }
  // A field JSON leaves out (omitempty) is Go's zero value, which the decoder may fill in (a terminated state's signal).
  if (json === undefined && (kept === 0 || kept === false || kept === "")) return;
  assert.equal(kept, json, where);
}

describe("LIST", () => {
  test("paginated protobuf pages carry the JSON pages' pods: same rows, same tokens, same kept fields", async () => {
    const pb = await listAll(CLIENT_ACCEPT, 70);
    const js = await listAll("application/json", 70, pb[0]!.resourceVersion);
    assert.equal(pb.length, 5);
    assert.deepEqual(
      pb.map((p) => [p.resourceVersion, p.continueToken, p.remaining, p.items.length]),
      js.map((p) => [p.resourceVersion, p.continueToken, p.remaining, p.items.length]),
    );
    const pbItems = pb.flatMap((p) => p.items);
    const jsItems = js.flatMap((p) => p.items);
    assert.equal(pbItems.length, 300);
    assert.deepEqual(pbItems.map(podRow), jsItems.map(podRow));
    pbItems.forEach((item, i) => {
      expectKeptEqual(item.metadata, jsItems[i]!.metadata, `${item.metadata?.name}.metadata`);
      expectKeptEqual(item.status, jsItems[i]!.status, `${item.metadata?.name}.status`);
      expectKeptEqual(item.spec, jsItems[i]!.spec, `${item.metadata?.name}.spec`);
    });
    // The rows are not all alike: the comparison covers several states.
    assert.ok(new Set(pbItems.map((p) => podRow(p).status)).size >= 3);
  });

  test("every field of every generated pod survives the transcoding", async () => {
    const r = await get("/api/v1/pods", PROTOBUF);
    assert.equal(r.status, 200);
    assert.equal(r.type, PROTOBUF);
    const json = (await get("/api/v1/pods", "application/json")).body;
    const items = (JSON.parse(json.toString()) as { items: Json[] }).items;
    const env = readEnvelope(new ProtoReader(r.body), r.body.length);
    assert.deepEqual([env.apiVersion, env.kind], ["v1", "PodList"]);
    const list = decodeMessage("PodList", r.body, env.rawStart, env.rawEnd);
    const pods = list.get("items")!;
    assert.equal(pods.length, items.length);
    pods.forEach((pod, i) => {
      const m = decodeRaw(pod);
      expectMessage("Pod", decodeMessage("Pod", m.buf, m.start, m.end), items[i]!, String(i));
    });
  });

  test("pods changed by the churn (new versions, terminating pods) are encoded too", async () => {
    sim.churn.step(200);
    const pbPages = await listAll(CLIENT_ACCEPT, 100);
    const pb = pbPages.flatMap((p) => p.items);
    const js = (await listAll("application/json", 100, pbPages[0]!.resourceVersion)).flatMap((p) => p.items);
    assert.ok(Number(pbPages[0]!.resourceVersion) > 300);
    assert.deepEqual(pb.map(podRow), js.map(podRow));
    assert.ok(pb.some((p) => p.metadata?.deletionTimestamp !== undefined));
  });

  test("a GET of one pod, and other kinds stay JSON under the client's Accept", async () => {
    const name = sim.store.list("pods")[0]!.metadata!;
    const one = await get(`/api/v1/namespaces/${name.namespace}/pods/${name.name}`, CLIENT_ACCEPT);
    assert.equal(one.type, PROTOBUF);
    const pod = decodeObject(one.body);
    assert.equal(pod.kind, "Pod");
    assert.deepEqual(podRow(pod), podRow(sim.store.get("pods", name.namespace!, name.name!)!));
    const cms = await get("/api/v1/configmaps?limit=2", CLIENT_ACCEPT);
    assert.equal(cms.status, 200);
    assert.equal(cms.type, "application/json");
    assert.equal(JSON.parse(cms.body.toString()).kind, "ConfigMapList");
  });
});

describe("WATCH", () => {
  test("events from a resourceVersion: the same events and rows as the JSON stream", async () => {
    const rv = sim.store.revision();
    const path = `/api/v1/pods?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`;
    const pb = watch(path, CLIENT_ACCEPT);
    const js = watch(path, "application/json");
    await new Promise((r) => setTimeout(r, 200));
    sim.churn.step(60);
    sim.store.createPod();
    const last = sim.store.list("pods")[0]!.metadata!;
    sim.store.delete("pods", last.namespace!, last.name!);
    // Both streams carry the same events: wait until they have as many and no more come (graceful deletions go on).
    let seen = -1;
    const deadline = Date.now() + 20_000;
    while ((seen !== js.events.length || pb.events.length !== js.events.length) && Date.now() < deadline) {
      seen = js.events.length;
      await new Promise((r) => setTimeout(r, 300));
    }
    pb.close();
    js.close();
    assert.equal(pb.type(), `${PROTOBUF};stream=watch`);
    assert.ok(js.events.length >= 3);
    assert.deepEqual(
      pb.events.map((e) => e.type),
      js.events.map((e) => e.type),
    );
    assert.ok(pb.events.some((e) => e.type === "DELETED"));
    assert.deepEqual(
      pb.events.map((e) => podRow(e.object)),
      js.events.map((e) => podRow(e.object)),
    );
    assert.deepEqual(
      pb.events.map((e) => e.object.metadata?.resourceVersion),
      js.events.map((e) => e.object.metadata?.resourceVersion),
    );
  });

  test("watch-list: the initial state as ADDED, then the initial-events-end BOOKMARK with a protobuf blueprint", async () => {
    const count = sim.store.list("pods").length;
    const from = sim.store.revision();
    const w = watch(
      "/api/v1/pods?watch=1&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&resourceVersion=",
      CLIENT_ACCEPT,
    );
    // Terminating pods may go between the count and the request: the replay holds at most `count` pods.
    while (!w.events.some((e) => e.type === "BOOKMARK")) await w.until(w.events.length + 1);
    w.close();
    const end = w.events.findIndex((e) => e.type === "BOOKMARK");
    assert.ok(end > count - 20 && end <= count, `${end} initial events for ${count} pods`);
    assert.deepEqual(new Set(w.events.slice(0, end).map((e) => e.type)), new Set(["ADDED"]));
    const bookmark = w.events[end]!;
    assert.equal(bookmark.type, "BOOKMARK");
    assert.equal(bookmark.object.kind, "Pod");
    assert.equal(bookmark.object.metadata?.annotations?.["k8s.io/initial-events-end"], "true");
    assert.ok(Number(bookmark.object.metadata?.resourceVersion) >= from);
    // The blueprint annotation (our decoder drops it): read the BOOKMARK frame with the test's own decoder.
    const stream = Buffer.concat(w.raw);
    let pos = 0;
    let bookmarkFrame = { start: 0, end: 0 };
    while (pos + 4 <= stream.length) {
      const n = stream.readUInt32BE(pos);
      if (pos + 4 + n > stream.length) break;
      const type = new ProtoReader(stream, pos + 4);
      type.varint();
      if (type.string() === "BOOKMARK") bookmarkFrame = { start: pos + 4, end: pos + 4 + n };
      pos += 4 + n;
    }
    const event = new ProtoReader(stream, bookmarkFrame.start);
    let objectRaw = { start: 0, end: 0 };
    while (event.pos < bookmarkFrame.end) {
      const t = event.varint();
      const end = event.delimited();
      if (t === 18) {
        event.varint();
        const rawEnd = event.delimited();
        objectRaw = { start: event.pos, end: rawEnd };
      }
      event.pos = end;
    }
    const env = readEnvelope(new ProtoReader(stream, objectRaw.start), objectRaw.end);
    const meta = decodeRaw(decodeMessage("Pod", stream, env.rawStart, env.rawEnd).get("metadata")![0]);
    const annotations = decodeMessage("ObjectMeta", stream, meta.start, meta.end).get("annotations")!;
    const blueprint = annotations.map((a) => {
      const m = decodeRaw(a);
      const r = new ProtoReader(m.buf, m.start);
      r.varint();
      const key = r.string();
      r.varint();
      return [key, r.string()];
    });
    const encoded = Buffer.from(
      blueprint.find(([k]) => k === "kubernetes.io/initial-events-list-blueprint")![1]!,
      "base64",
    );
    const list = readEnvelope(new ProtoReader(encoded), encoded.length);
    assert.deepEqual([list.apiVersion, list.kind], ["v1", "PodList"]);
    assert.deepEqual([...encoded.subarray(list.rawStart, list.rawEnd)], [0x0a, 0x00]);
  });

  test("an expired watch ends with a protobuf ERROR event carrying the 410 Status", async () => {
    sim.faults.expireNextWatch();
    const w = watch("/api/v1/pods?watch=1&resourceVersion=1", CLIENT_ACCEPT);
    await w.until(1);
    const status = w.events[0]!.object as unknown as KubeStatus;
    assert.equal(w.events[0]!.type, "ERROR");
    assert.deepEqual([status.kind, status.code, status.reason], ["Status", 410, "Expired"]);
    assert.equal(w.raw[0]![0], 0, "a length-prefixed frame, not JSON");
  });
});

describe("errors and negotiation", () => {
  test("an error is a protobuf Status when protobuf was negotiated, JSON otherwise", async () => {
    const path = "/api/v1/namespaces/nowhere/pods/nobody";
    const pb = await get(path, CLIENT_ACCEPT);
    assert.equal(pb.status, 404);
    assert.equal(pb.type, PROTOBUF);
    const status = decodeObject(pb.body) as unknown as KubeStatus;
    assert.deepEqual(
      [status.kind, status.code, status.reason, status.message],
      ["Status", 404, "NotFound", 'pods "nobody" not found'],
    );
    assert.equal(status.details?.name, "nobody");
    const js = await get(path, "application/json");
    assert.equal(js.type, "application/json");
    assert.equal(JSON.parse(js.body.toString()).reason, "NotFound");
    // A Table clause allows no conversion for an error: JSON.
    const table = await get(path, "application/json;as=Table;v=v1;g=meta.k8s.io");
    assert.equal(table.type, "application/json");
    // An error on a kind answered in JSON is still a protobuf Status when protobuf comes first.
    const cm = await get("/api/v1/namespaces/nowhere/configmaps/none", CLIENT_ACCEPT);
    assert.equal(cm.status, 404);
    assert.equal(cm.type, PROTOBUF);
  });

  test("protobuf alone: pods in protobuf, other built-ins and custom resources 406 (in protobuf)", async () => {
    assert.equal((await get("/api/v1/pods?limit=1", PROTOBUF)).type, PROTOBUF);
    for (const path of ["/api/v1/configmaps", "/apis/demo.timoneiro.dev/v1/widgets"]) {
      const r = await get(path, PROTOBUF);
      assert.equal(r.status, 406, path);
      const status = decodeObject(r.body) as unknown as KubeStatus;
      assert.equal(status.reason, "NotAcceptable");
      assert.match(status.message ?? "", /application\/json, application\/yaml, application\/vnd.kubernetes.protobuf/);
    }
    const crd = await get("/apis/demo.timoneiro.dev/v1/widgets", CLIENT_ACCEPT);
    assert.equal(crd.status, 200);
    assert.equal(crd.type, "application/json");
  });

  test("a Table asked for in protobuf is passed over for the next clause", async () => {
    const r = await get(
      `/api/v1/pods?limit=1`,
      `${PROTOBUF};as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io,application/json`,
    );
    assert.equal(r.type, "application/json");
    assert.equal(JSON.parse(r.body.toString()).kind, "Table");
  });

  test("Accept parsing and ordering as goautoneg: q-values, wildcards last among equals, stable otherwise", () => {
    const order = (h: string) => parseAccept(h).map((c) => `${c.type}/${c.subType}`);
    assert.deepEqual(order("application/json;q=0.5, application/vnd.kubernetes.protobuf"), [
      "application/vnd.kubernetes.protobuf",
      "application/json",
    ]);
    assert.deepEqual(order("*/*, application/json"), ["application/json", "*/*"]);
    assert.deepEqual(order("application/*, application/yaml"), ["application/yaml", "application/*"]);
    assert.deepEqual(order("text/plain, application/json"), ["text/plain", "application/json"]);
    assert.deepEqual(order("bogus, a/b/c, *, application/json"), ["application/json", "*/*"]);
  });

  test("negotiation of a resource, pods (protobuf) and a kind in JSON only", () => {
    const pods = (h: string | undefined) => negotiateResource(h, true)?.format;
    const other = (h: string | undefined) => negotiateResource(h, false)?.format;
    assert.equal(pods(undefined), "json");
    assert.equal(pods("*/*"), "json");
    assert.equal(pods(PROTOBUF), "protobuf");
    assert.equal(pods(`${PROTOBUF};stream=watch`), "protobuf");
    assert.equal(pods(`${PROTOBUF};stream=other,application/json`), "json");
    assert.equal(pods(`${PROTOBUF},application/json`), "protobuf");
    assert.equal(pods(`application/json,${PROTOBUF}`), "json");
    assert.equal(pods(`application/json;q=0.9,${PROTOBUF}`), "protobuf");
    assert.equal(pods(`${PROTOBUF};q=0.5,application/json`), "json");
    assert.equal(pods(`${PROTOBUF};sv=v2,application/json`), "json");
    assert.equal(pods("application/yaml,application/json"), "json");
    assert.equal(pods("text/plain"), undefined);
    assert.equal(other(`${PROTOBUF},application/json`), "json");
    assert.equal(other(PROTOBUF), undefined);
    assert.equal(negotiateResource("application/json;as=Table;v=v1;g=meta.k8s.io", true)?.table?.version, "v1");
    assert.equal(negotiateResource("application/json;as=Table;v=v2;g=meta.k8s.io", true), undefined);
    assert.equal(negotiateError(undefined), "json");
    assert.equal(negotiateError(`${PROTOBUF},application/json`), "protobuf");
    assert.equal(negotiateError(`${PROTOBUF};as=Table;v=v1;g=meta.k8s.io`), "json");
    assert.equal(negotiateError("text/plain"), "json");
  });
});
