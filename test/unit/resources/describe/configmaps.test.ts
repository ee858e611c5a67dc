// kubectl describe configmap: each data key, a rule, its value and a blank line; each binary key's size; events.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import { configMapDescriber } from "../../../../src/resources/describe/configmaps.ts";
import type { DescribeInput } from "../../../../src/resources/describe/types.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");

const CASES: { name: string; input: DescribeInput; want: string[] }[] = [
  {
    name: "data keys sorted, multi-line values as they are, binary sizes",
    input: {
      object: {
        metadata: {
          name: "app-config",
          namespace: "shop",
          labels: { app: "shop" },
          annotations: { "example.com/long": "x".repeat(150) },
        },
        data: { "nginx.conf": "server {\n  listen 80;\n}\n", LOG_LEVEL: "debug", "empty.txt": "" },
        binaryData: { "favicon.ico": Buffer.alloc(1150, 7).toString("base64") },
      },
      events: [],
      related: {},
      now: NOW,
    },
    want: [
      "Name:         app-config",
      "Namespace:    shop",
      "Labels:       app=shop",
      "Annotations:  example.com/long:",
      "                xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...",
      "",
      "Data",
      "====",
      "LOG_LEVEL:",
      "----",
      "debug",
      "",
      "empty.txt:",
      "----",
      "",
      "",
      "nginx.conf:",
      "----",
      "server {",
      "  listen 80;",
      "}",
      "",
      "",
      "",
      "BinaryData",
      "====",
      "favicon.ico: 1150 bytes",
      "",
      "Events:  <none>",
    ],
  },
  {
    name: "an empty config map",
    input: { object: { metadata: { name: "empty", namespace: "shop" } }, events: [], related: {}, now: NOW },
    want: [
      "Name:         empty",
      "Namespace:    shop",
      "Labels:       <none>",
      "Annotations:  <none>",
      "",
      "Data",
      "====",
      "",
      "BinaryData",
      "====",
      "",
      "Events:  <none>",
    ],
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const text = configMapDescriber.describe(c.input);
    assert.equal(text, c.want.join("\n"));
  });
}
