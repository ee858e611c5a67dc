// kubectl describe secret: the type and each key's size in bytes; never a value (a service-account token's
// `token`, which kubectl prints, gives its size here too).
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import { secretDescriber } from "../../../../src/resources/describe/secrets.ts";
import type { DescribeInput } from "../../../../src/resources/describe/types.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");
const b64 = (s: string) => Buffer.from(s).toString("base64");

const CASES: { name: string; input: DescribeInput; want: string[] }[] = [
  {
    name: "an Opaque secret: sizes of the decoded values, keys sorted",
    input: {
      object: {
        metadata: { name: "db-creds", namespace: "shop", labels: { app: "db" } },
        type: "Opaque",
        data: { username: b64("admin"), password: b64("correct horse battery staple"), "tls.key": b64("") },
      },
      events: [],
      related: {},
      now: NOW,
    },
    want: [
      "Name:         db-creds",
      "Namespace:    shop",
      "Labels:       app=db",
      "Annotations:  <none>",
      "",
      "Type:  Opaque",
      "",
      "Data",
      "====",
      "password:  28 bytes",
      "tls.key:   0 bytes",
      "username:  5 bytes",
    ],
  },
  {
    name: "a service-account token: the token's size, not the token",
    input: {
      object: {
        metadata: {
          name: "builder-token",
          namespace: "ci",
          annotations: { "kubernetes.io/service-account.name": "builder", "kubernetes.io/service-account.uid": "u-1" },
        },
        type: "kubernetes.io/service-account-token",
        data: {
          token: b64("eyJhbGciOiJSUzI1NiJ9.payload.signature"),
          "ca.crt": b64("-----BEGIN CERTIFICATE-----\n"),
          namespace: b64("ci"),
        },
      },
      events: [],
      related: {},
      now: NOW,
    },
    want: [
      "Name:         builder-token",
      "Namespace:    ci",
      "Labels:       <none>",
      "Annotations:  kubernetes.io/service-account.name: builder",
      "              kubernetes.io/service-account.uid: u-1",
      "",
      "Type:  kubernetes.io/service-account-token",
      "",
      "Data",
      "====",
      "ca.crt:     28 bytes",
      "namespace:  2 bytes",
      "token:      38 bytes",
    ],
  },
  {
    name: "a secret without data",
    input: {
      object: { metadata: { name: "none", namespace: "ci" }, type: "Opaque" },
      events: [],
      related: {},
      now: NOW,
    },
    want: [
      "Name:         none",
      "Namespace:    ci",
      "Labels:       <none>",
      "Annotations:  <none>",
      "",
      "Type:  Opaque",
      "",
      "Data",
      "====",
    ],
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const text = secretDescriber.describe(c.input);
    assert.equal(text, c.want.join("\n"));
    assert.ok(!text.includes("eyJhbGci") && !text.includes("horse"), "no value shows");
  });
}
