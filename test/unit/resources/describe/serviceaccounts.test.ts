// kubectl describe serviceaccount: image pull, mountable and token secrets (a token: a service-account-token secret
// annotated with the account's name and UID), a missing one marked "(not found)", events.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../../../src/kube/objects.ts";
import { serviceAccountDescriber } from "../../../../src/resources/describe/serviceaccounts.ts";
import type { DescribeInput } from "../../../../src/resources/describe/types.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");

const builder: KubeObject = {
  metadata: { name: "builder", namespace: "ci", uid: "u-builder", labels: { app: "ci" } },
  secrets: [{ name: "builder-token-x" }, { name: "ghost" }],
  imagePullSecrets: [{ name: "regcred" }, { name: "gone-regcred" }],
};

const token = (name: string, account: string, uid: string): KubeObject => ({
  metadata: {
    name,
    namespace: "ci",
    annotations: { "kubernetes.io/service-account.name": account, "kubernetes.io/service-account.uid": uid },
  },
  type: "kubernetes.io/service-account-token",
});

const secrets: KubeObject[] = [
  token("builder-token-x", "builder", "u-builder"),
  token("builder-token-old", "builder", "u-previous-builder"),
  token("deployer-token", "deployer", "u-deployer"),
  { metadata: { name: "regcred", namespace: "ci" }, type: "kubernetes.io/dockerconfigjson" },
];

test("related: the namespace's secrets", () => {
  assert.deepEqual(serviceAccountDescriber.related?.(builder), { secrets: "/api/v1/namespaces/ci/secrets" });
});

const CASES: { name: string; input: DescribeInput; want: string[] }[] = [
  {
    name: "secrets of every kind, missing ones marked, tokens of this account only",
    input: {
      object: builder,
      events: [
        {
          type: "Warning",
          reason: "FailedMount",
          message: 'secret "ghost" not found',
          source: { component: "kubelet" },
          count: 1,
          firstTimestamp: "2026-03-10T11:58:00Z",
          lastTimestamp: "2026-03-10T11:58:00Z",
        },
      ],
      related: { secrets },
      now: NOW,
    },
    want: [
      "Name:                builder",
      "Namespace:           ci",
      "Labels:              app=ci",
      "Annotations:         <none>",
      "Image pull secrets:  regcred",
      "                     gone-regcred (not found)",
      "Mountable secrets:   builder-token-x",
      "                     ghost (not found)",
      "Tokens:              builder-token-x",
      "Events:",
      "  Type     Reason       Age   From     Message",
      "  ----     ------       ----  ----     -------",
      '  Warning  FailedMount  2m    kubelet  secret "ghost" not found',
    ],
  },
  {
    name: "secrets not listed (refused): nothing marked, no tokens",
    input: { object: builder, events: [], related: { secrets: undefined }, now: NOW },
    want: [
      "Name:                builder",
      "Namespace:           ci",
      "Labels:              app=ci",
      "Annotations:         <none>",
      "Image pull secrets:  regcred",
      "                     gone-regcred",
      "Mountable secrets:   builder-token-x",
      "                     ghost",
      "Tokens:              <none>",
      "Events:              <none>",
    ],
  },
  {
    name: "a bare account",
    input: {
      object: { metadata: { name: "default", namespace: "ci" } },
      events: [],
      related: { secrets: [] },
      now: NOW,
    },
    want: [
      "Name:                default",
      "Namespace:           ci",
      "Labels:              <none>",
      "Annotations:         <none>",
      "Image pull secrets:  <none>",
      "Mountable secrets:   <none>",
      "Tokens:              <none>",
      "Events:              <none>",
    ],
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const text = serviceAccountDescriber.describe(c.input);
    assert.equal(text, c.want.join("\n"));
  });
}
