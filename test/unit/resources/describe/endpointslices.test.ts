// kubectl describe endpointslice: address type, the ports table, each endpoint's readiness, host name, target,
// node and zone ("<unset>" for what the slice does not say), events.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import { endpointSliceDescriber } from "../../../../src/resources/describe/endpointslices.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");

test("a slice with ports and endpoints in every state", () => {
  const object = {
    metadata: {
      name: "web-x7k2p",
      namespace: "shop",
      labels: {
        "kubernetes.io/service-name": "web",
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
      },
      annotations: { "endpoints.kubernetes.io/last-change-trigger-time": "2026-03-10T11:58:01Z" },
    },
    addressType: "IPv4",
    ports: [
      { name: "http", port: 8080, protocol: "TCP" },
      { port: 53, protocol: "UDP" },
    ],
    endpoints: [
      {
        addresses: ["10.244.1.5"],
        conditions: { ready: true, serving: true, terminating: false },
        targetRef: { kind: "Pod", name: "web-7d4b9-abcde", namespace: "shop" },
        nodeName: "worker-1",
        zone: "eu-west-1a",
      },
      { addresses: ["10.244.2.9", "10.244.2.10"], conditions: { ready: false }, hostname: "web-1" },
      { addresses: [], conditions: {} },
    ],
  };
  const text = endpointSliceDescriber.describe({ object, events: [], related: {}, now: NOW });
  assert.equal(
    text,
    [
      "Name:         web-x7k2p",
      "Namespace:    shop",
      "Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io",
      "              kubernetes.io/service-name=web",
      "Annotations:  endpoints.kubernetes.io/last-change-trigger-time: 2026-03-10T11:58:01Z",
      "AddressType:  IPv4",
      "Ports:",
      "  Name     Port  Protocol",
      "  ----     ----  --------",
      "  http     8080  TCP",
      "  <unset>  53    UDP",
      "Endpoints:",
      "  - Addresses:  10.244.1.5",
      "    Conditions:",
      "      Ready:    true",
      "    Hostname:   <unset>",
      "    TargetRef:  Pod/web-7d4b9-abcde",
      "    NodeName:   worker-1",
      "    Zone:       eu-west-1a",
      // A block runs to the next "Conditions:": the next endpoint's "- Addresses:" widens this one; the last block,
      // without one (nor a TargetRef), is narrower, and the Events line belongs to it.
      "  - Addresses:  10.244.2.9, 10.244.2.10",
      "    Conditions:",
      "      Ready:    false",
      "    Hostname:   web-1",
      "    NodeName:   <unset>",
      "    Zone:       <unset>",
      "  - Addresses:  <none>",
      "    Conditions:",
      "      Ready:   <unset>",
      "    Hostname:  <unset>",
      "    NodeName:  <unset>",
      "    Zone:      <unset>",
      "Events:        <none>",
    ].join("\n"),
  );
});

test("a slice with no ports and no endpoints", () => {
  const object = { metadata: { name: "empty", namespace: "shop" }, addressType: "IPv6" };
  const text = endpointSliceDescriber.describe({ object, events: [], related: {}, now: NOW });
  assert.equal(
    text,
    [
      "Name:         empty",
      "Namespace:    shop",
      "Labels:       <none>",
      "Annotations:  <none>",
      "AddressType:  IPv6",
      "Ports: <unset>",
      "Endpoints: <none>",
      "Events:  <none>",
    ].join("\n"),
  );
});
