// The PodList decoded while it downloads (protobuf/list-stream.ts) must give what decodeList gives for the whole
// body, wherever the chunk boundaries fall, and report the continue token before the first item.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { realisticPod } from "../../../bench/protobuf-decode.ts";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { encodePodList, envelope, ProtoWriter } from "../../../src/kube/protobuf/encoder.ts";
import { protobufDecoder } from "../../../src/kube/protobuf/index.ts";
import { type DecodedList, jsonDecoder, listParser } from "../../../src/kube/wire.ts";

type Json = Record<string, unknown>;

interface Streamed {
  page: DecodedList;
  items: KubeObject[];
  /** Items decoded before the continue token was reported. */
  itemsBeforeContinue: number;
  continueTokens: string[];
}

function stream(body: Buffer, cuts: number[], decoder = protobufDecoder, clobber = true): Streamed {
  const items: KubeObject[] = [];
  const continueTokens: string[] = [];
  let itemsBeforeContinue = -1;
  const parser = listParser(
    decoder,
    (token) => {
      continueTokens.push(token);
      if (itemsBeforeContinue < 0) itemsBeforeContinue = items.length;
    },
    (item) => items.push(item),
  );
  let at = 0;
  for (const cut of [...cuts, body.length]) {
    // Copies, so that the protobuf decoder holding on to a chunk it was handed would be caught by the overwrite below
    // (JSON bodies are gathered whole).
    const chunk = Buffer.from(body.subarray(at, cut));
    parser.push(chunk);
    if (clobber) chunk.fill(0xff);
    at = cut;
  }
  return { page: parser.end(), items, itemsBeforeContinue, continueTokens };
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

const pods = [realisticPod(1), realisticPod(2), realisticPod(3)] as Json[];
const body = encodePodList({
  metadata: { resourceVersion: "77", continue: "tok-2", remainingItemCount: 5 },
  items: pods,
});
const whole = protobufDecoder.decodeList(body);

describe("PodList decoded while it downloads", () => {
  test("in one chunk: the same items and metadata as decodeList, the continue token first", () => {
    const s = stream(body, []);
    assert.deepEqual(plain(s.items), plain(whole.items));
    assert.equal(s.page.resourceVersion, "77");
    assert.equal(s.page.continueToken, "tok-2");
    assert.equal(s.page.remainingItemCount, 5);
    assert.deepEqual(s.continueTokens, ["tok-2"]);
    assert.equal(s.itemsBeforeContinue, 0);
  });

  test("cut at every byte in two chunks", () => {
    for (let cut = 1; cut < body.length; cut++) {
      const s = stream(body, [cut]);
      assert.deepEqual(plain(s.items), plain(whole.items), `cut at ${cut}`);
      assert.deepEqual(s.continueTokens, ["tok-2"], `cut at ${cut}`);
      assert.equal(s.page.resourceVersion, "77");
    }
  });

  test("in chunks of 1, 2, 3, 7 and 1000 bytes", () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      const cuts: number[] = [];
      for (let at = size; at < body.length; at += size) cuts.push(at);
      const s = stream(body, cuts);
      assert.deepEqual(plain(s.items), plain(whole.items), `chunks of ${size}`);
      assert.equal(s.itemsBeforeContinue, 0);
    }
  });

  test("a last page without items or token", () => {
    const last = envelope("v1", "PodList", new ProtoWriter().message(1, (m) => m.string(2, "9")).finish());
    for (let cut = 1; cut < last.length; cut++) {
      const s = stream(last, [cut]);
      assert.equal(s.items.length, 0);
      assert.deepEqual(s.continueTokens, [""]);
      assert.equal(s.page.resourceVersion, "9");
    }
  });

  test("a JSON answer is decoded as JSON, its continue token peeked from the head", () => {
    const json = Buffer.from(
      JSON.stringify({
        kind: "PodList",
        metadata: { resourceVersion: "7", continue: "j2" },
        items: [{ metadata: { name: "j" } }],
      }),
    );
    const s = stream(json, [3, 20], protobufDecoder, false);
    assert.equal(s.page.resourceVersion, "7");
    assert.deepEqual(s.continueTokens, ["j2"]);
    assert.equal(s.items[0]!.metadata?.name, "j");
  });

  test("the JSON decoder, which cannot stream, goes through the same interface", () => {
    const json = Buffer.from(JSON.stringify({ metadata: { continue: "c" }, items: [{ metadata: { name: "x" } }] }));
    const s = stream(json, [10], jsonDecoder, false);
    assert.deepEqual(s.continueTokens, ["c"]);
    assert.equal(s.itemsBeforeContinue, 0);
    assert.equal(s.items.length, 1);
  });

  test("a body cut short, another kind, or garbage is a protocol error", () => {
    for (const cut of [1, 4, 10, body.length - 10, body.length - 1]) {
      assert.throws(
        () => stream(body.subarray(0, cut), []),
        /malformed protobuf|truncated protobuf|ends early/,
        `cut at ${cut}`,
      );
    }
    assert.throws(() => stream(Buffer.alloc(0), []), /empty list body/);
    assert.throws(
      () => stream(envelope("apps/v1", "DeploymentList", Buffer.alloc(0)), []),
      /protobuf DeploymentList, expected PodList/,
    );
    assert.throws(() => stream(Buffer.from([1, 2, 3, 4, 5]), []), /neither protobuf nor JSON/);
    const gzipped = new ProtoWriter()
      .raw(Buffer.from("k8s\0", "latin1"))
      .message(1, (t) => t.string(1, "v1").string(2, "PodList"))
      .bytes(2, Buffer.alloc(0))
      .string(3, "gzip")
      .finish();
    assert.throws(() => stream(gzipped, [9]), /content encoding gzip/);
  });
});
