// Early continue-token peeking, which lets the reflector request page k+1 while page k downloads.
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodePodList } from "../../../src/kube/protobuf/encoder.ts";
import { protobufDecoder } from "../../../src/kube/protobuf/index.ts";
import { jsonDecoder } from "../../../src/kube/wire.ts";

const pod = (name: string) => ({
  metadata: { name, namespace: "ns", uid: name, creationTimestamp: "2024-01-01T00:00:00Z" },
});

function heads(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let n = 0; n <= body.length; n++) out.push(body.subarray(0, n));
  return out;
}

for (const [name, decoder, encode] of [
  [
    "json",
    jsonDecoder,
    (list: { metadata: object; items: object[] }) =>
      Buffer.from(JSON.stringify({ kind: "PodList", apiVersion: "v1", ...list })),
  ],
  [
    "protobuf",
    protobufDecoder,
    (list: { metadata: object; items: object[] }) => encodePodList(list as Parameters<typeof encodePodList>[0]),
  ],
] as const) {
  test(`${name}: the continue token is read from the head, never wrongly from a partial one`, () => {
    const body = encode({
      metadata: { resourceVersion: "42", continue: "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ", remainingItemCount: 7 },
      items: [pod("a"), pod("b")],
    });
    let firstKnown = -1;
    for (const head of heads(body)) {
      const token = decoder.peekContinue!(head);
      if (token === undefined) continue;
      if (firstKnown < 0) firstKnown = head.length;
      assert.equal(token, "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ", `head of ${head.length} bytes`);
    }
    assert.ok(firstKnown > 0 && firstKnown < body.length, "known before the whole body arrived");
    assert.equal(decoder.decodeList(body).continueToken, "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ");
  });

  test(`${name}: the last page peeks as "" (no next page)`, () => {
    const body = encode({ metadata: { resourceVersion: "42" }, items: [pod("a")] });
    const seen = new Set(heads(body).map((h) => decoder.peekContinue!(h)));
    assert.ok(!seen.has("x"));
    assert.equal(decoder.peekContinue!(body), "");
  });
}
