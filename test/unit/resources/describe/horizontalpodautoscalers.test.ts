// kubectl describe horizontalpodautoscaler (autoscaling/v2): every metric type as "current / target" (current
// "<unknown>" until the status has it), replica bounds, scaling behavior, the target's pods, conditions, events.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import { horizontalPodAutoscalerDescriber } from "../../../../src/resources/describe/horizontalpodautoscalers.ts";
import type { DescribeInput } from "../../../../src/resources/describe/types.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");

const CASES: { name: string; input: DescribeInput; want: string[] }[] = [
  {
    name: "all metric types, a behavior, conditions",
    input: {
      object: {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "web", namespace: "shop", creationTimestamp: "2026-02-01T09:15:00Z", labels: { app: "web" } },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
          minReplicas: 2,
          maxReplicas: 20,
          metrics: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
            { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "512Mi" } } },
            {
              type: "ContainerResource",
              containerResource: {
                name: "cpu",
                container: "app",
                target: { type: "Utilization", averageUtilization: 60 },
              },
            },
            { type: "Pods", pods: { metric: { name: "rps" }, target: { type: "AverageValue", averageValue: "1k" } } },
            {
              type: "Object",
              object: {
                metric: { name: "hits" },
                describedObject: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: "main" },
                target: { type: "Value", value: "10k" },
              },
            },
            {
              type: "External",
              external: { metric: { name: "queue_depth" }, target: { type: "AverageValue", averageValue: "30" } },
            },
            { type: "External", external: { metric: { name: "lag" }, target: { type: "Value", value: "100" } } },
          ],
          behavior: {
            scaleUp: {
              stabilizationWindowSeconds: 0,
              selectPolicy: "Max",
              policies: [
                { type: "Pods", value: 4, periodSeconds: 15 },
                { type: "Percent", value: 100, periodSeconds: 15 },
              ],
            },
            scaleDown: {
              stabilizationWindowSeconds: 300,
              policies: [{ type: "Percent", value: 10, periodSeconds: 60 }],
            },
          },
        },
        status: {
          currentReplicas: 5,
          desiredReplicas: 6,
          currentMetrics: [
            { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 85, averageValue: "425m" } } },
            { type: "Resource", resource: { name: "memory", current: { averageValue: "300Mi" } } },
            {
              type: "ContainerResource",
              containerResource: {
                name: "cpu",
                container: "app",
                current: { averageUtilization: 40, averageValue: "200m" },
              },
            },
            { type: "Pods", pods: { metric: { name: "rps" }, current: { averageValue: "1500m" } } },
            { type: "Object", object: { metric: { name: "hits" }, current: { value: "12k" } } },
            { type: "External", external: { metric: { name: "queue_depth" }, current: { averageValue: "45" } } },
            { type: "External", external: { metric: { name: "lag" }, current: { value: "7" } } },
          ],
          conditions: [
            {
              type: "AbleToScale",
              status: "True",
              reason: "SucceededRescale",
              message: "the HPA controller was able to update the target scale to 6",
            },
            {
              type: "ScalingLimited",
              status: "False",
              reason: "DesiredWithinRange",
              message: "the desired count is within the acceptable range",
            },
          ],
        },
      },
      events: [
        {
          type: "Normal",
          reason: "SuccessfulRescale",
          message: "New size: 6; reason: cpu resource utilization (percentage of request) above target",
          source: { component: "horizontal-pod-autoscaler" },
          count: 1,
          firstTimestamp: "2026-03-10T11:59:00Z",
          lastTimestamp: "2026-03-10T11:59:00Z",
        },
      ],
      related: {},
      now: NOW,
    },
    want: [
      "Name:                                                                     web",
      "Namespace:                                                                shop",
      "Labels:                                                                   app=web",
      "Annotations:                                                              <none>",
      "CreationTimestamp:                                                        Sun, 01 Feb 2026 09:15:00 +0000",
      "Reference:                                                                Deployment/web",
      "Metrics:                                                                  ( current / target )",
      "  resource cpu on pods  (as a percentage of request):                     85% (425m) / 70%",
      "  resource memory on pods:                                                300Mi / 512Mi",
      '  resource cpu of container "app" on pods  (as a percentage of request):  40% (200m) / 60%',
      '  "rps" on pods:                                                          1500m / 1k',
      '  "hits" on Ingress/main (target value):                                  12k / 10k',
      '  "queue_depth" (target average value):                                   45 / 30',
      '  "lag" (target value):                                                   7 / 100',
      "Min replicas:                                                             2",
      "Max replicas:                                                             20",
      "Behavior:",
      "  Scale Up:",
      "    Stabilization Window: 0 seconds",
      "    Select Policy: Max",
      "    Policies:",
      "      - Type: Pods     Value: 4    Period: 15 seconds",
      "      - Type: Percent  Value: 100  Period: 15 seconds",
      "  Scale Down:",
      "    Stabilization Window: 300 seconds",
      "    Select Policy: Max",
      "    Policies:",
      "      - Type: Percent  Value: 10  Period: 60 seconds",
      "Deployment pods:       5 current / 6 desired",
      "Conditions:",
      "  Type            Status  Reason              Message",
      "  ----            ------  ------              -------",
      "  AbleToScale     True    SucceededRescale    the HPA controller was able to update the target scale to 6",
      "  ScalingLimited  False   DesiredWithinRange  the desired count is within the acceptable range",
      "Events:",
      "  Type    Reason             Age   From                       Message",
      "  ----    ------             ----  ----                       -------",
      "  Normal  SuccessfulRescale  60s   horizontal-pod-autoscaler  New size: 6; reason: cpu resource utilization (percentage of request) above target",
    ],
  },
  {
    name: "no status yet, no minimum, an unknown metric type",
    input: {
      object: {
        metadata: { name: "batch", namespace: "shop", creationTimestamp: "2026-03-10T11:00:00Z" },
        spec: {
          scaleTargetRef: { kind: "StatefulSet", name: "batch" },
          maxReplicas: 3,
          metrics: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization" } } },
            { type: "Pods", pods: { metric: { name: "jobs" }, target: { type: "AverageValue", averageValue: "2" } } },
            { type: "Future", future: {} },
          ],
        },
        status: {},
      },
      events: [],
      related: {},
      now: NOW,
    },
    want: [
      "Name:                                                  batch",
      "Namespace:                                             shop",
      "Labels:                                                <none>",
      "Annotations:                                           <none>",
      "CreationTimestamp:                                     Tue, 10 Mar 2026 11:00:00 +0000",
      "Reference:                                             StatefulSet/batch",
      "Metrics:                                               ( current / target )",
      "  resource cpu on pods  (as a percentage of request):  <unknown> / <auto>",
      '  "jobs" on pods:                                      <unknown> / 2',
      '  <unknown metric type "Future">',
      "Min replicas:      <unset>",
      "Max replicas:      3",
      "StatefulSet pods:  0 current / 0 desired",
      "Events:            <none>",
    ],
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const text = horizontalPodAutoscalerDescriber.describe(c.input);
    assert.equal(text, c.want.join("\n"));
  });
}
