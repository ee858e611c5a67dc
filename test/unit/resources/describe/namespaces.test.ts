// kubectl describe namespace: status and conditions, then its resource quotas (sorted by name, resources by name,
// scopes explained) and its limit ranges in one table; sections left out when they could not be listed.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../../../src/kube/objects.ts";
import { namespaceDescriber } from "../../../../src/resources/describe/namespaces.ts";
import type { DescribeInput } from "../../../../src/resources/describe/types.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");

const shop: KubeObject = {
  metadata: {
    name: "shop",
    labels: { "kubernetes.io/metadata.name": "shop", team: "payments" },
    annotations: { "scheduler.alpha.kubernetes.io/node-selector": "pool=shop" },
  },
  spec: { finalizers: ["kubernetes"] },
  status: { phase: "Active" },
};

const quotas: KubeObject[] = [
  {
    metadata: { name: "pods-best-effort" },
    spec: { hard: { pods: "5" }, scopes: ["NotTerminating", "BestEffort"] },
    status: { hard: { pods: "5" }, used: { pods: "0" } },
  },
  {
    metadata: { name: "compute" },
    spec: {},
    status: {
      hard: { "requests.cpu": "4", "limits.memory": "16Gi", pods: "20", "requests.memory": "8192Mi" },
      used: { "requests.cpu": "2650m", "limits.memory": "1.5Gi", pods: "3" },
    },
  },
];

const limitRanges: KubeObject[] = [
  {
    metadata: { name: "defaults" },
    spec: {
      limits: [
        {
          type: "Container",
          max: { cpu: "2", memory: "1Gi" },
          min: { cpu: "50m" },
          default: { cpu: "500m", memory: "512Mi" },
          defaultRequest: { cpu: "100m", memory: "128Mi" },
          maxLimitRequestRatio: { cpu: "10" },
        },
        { type: "PersistentVolumeClaim", min: { storage: "1Gi" }, max: { storage: "50Gi" } },
      ],
    },
  },
];

test("related: the namespace's resource quotas and limit ranges", () => {
  assert.deepEqual(namespaceDescriber.related?.(shop), {
    resourceQuotas: "/api/v1/namespaces/shop/resourcequotas",
    limitRanges: "/api/v1/namespaces/shop/limitranges",
  });
});

const CASES: { name: string; input: DescribeInput; want: string[] }[] = [
  {
    name: "quotas (with scopes) and limit ranges",
    input: { object: shop, events: [], related: { resourceQuotas: quotas, limitRanges }, now: NOW },
    want: [
      "Name:         shop",
      "Labels:       kubernetes.io/metadata.name=shop",
      "              team=payments",
      "Annotations:  scheduler.alpha.kubernetes.io/node-selector: pool=shop",
      "Status:       Active",
      "",
      "Resource Quotas",
      "  Name:            compute",
      "  Resource         Used    Hard",
      "  --------         ---     ---",
      "  limits.memory    1536Mi  16Gi",
      "  pods             3       20",
      "  requests.cpu     2650m   4",
      "  requests.memory  0       8Gi",
      "  Name:            pods-best-effort",
      "  Scopes:          BestEffort, NotTerminating",
      "  * Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
      "  * Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
      "  Resource  Used  Hard",
      "  --------  ---   ---",
      "  pods      0     5",
      "",
      "Resource Limits",
      " Type                   Resource  Min  Max   Default Request  Default Limit  Max Limit/Request Ratio",
      " ----                   --------  ---  ---   ---------------  -------------  -----------------------",
      " Container              cpu       50m  2     100m             500m           10",
      " Container              memory    -    1Gi   128Mi            512Mi          -",
      " PersistentVolumeClaim  storage   1Gi  50Gi  -                -              -",
    ],
  },
  {
    name: "none of either",
    input: { object: shop, events: [], related: { resourceQuotas: [], limitRanges: [] }, now: NOW },
    want: [
      "Name:         shop",
      "Labels:       kubernetes.io/metadata.name=shop",
      "              team=payments",
      "Annotations:  scheduler.alpha.kubernetes.io/node-selector: pool=shop",
      "Status:       Active",
      "",
      "No resource quota.",
      "",
      "No LimitRange resource.",
    ],
  },
  {
    name: "a terminating namespace with conditions; quotas and limit ranges not listed (refused)",
    input: {
      object: {
        metadata: { name: "gone", deletionTimestamp: "2026-03-10T11:00:00Z" },
        status: {
          phase: "Terminating",
          conditions: [
            {
              type: "NamespaceContentRemaining",
              status: "True",
              lastTransitionTime: "2026-03-10T11:00:05Z",
              reason: "SomeResourcesRemain",
              message: "Some resources are remaining: pods. has 2 resource instances",
            },
          ],
        },
      },
      events: [],
      related: { resourceQuotas: undefined, limitRanges: undefined },
      now: NOW,
    },
    want: [
      "Name:         gone",
      "Labels:       <none>",
      "Annotations:  <none>",
      "Status:       Terminating",
      "Conditions:",
      "  Type                       Status  LastTransitionTime               Reason               Message",
      "  ----                       ------  ------------------               ------               -------",
      "  NamespaceContentRemaining  True    Tue, 10 Mar 2026 11:00:05 +0000  SomeResourcesRemain  Some resources are remaining: pods. has 2 resource instances",
    ],
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const text = namespaceDescriber.describe(c.input);
    assert.equal(text, c.want.join("\n"));
  });
}
