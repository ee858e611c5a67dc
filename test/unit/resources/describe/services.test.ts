// kubectl describe service: addresses, ports with their endpoints from the service's slices (ready ones, three at
// most), load balancer, traffic policies, events.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../../../src/kube/objects.ts";
import { formatEndpointSlices, serviceDescriber } from "../../../../src/resources/describe/services.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");

const web: KubeObject = {
  apiVersion: "v1",
  kind: "Service",
  metadata: {
    name: "web",
    namespace: "shop",
    uid: "u-web",
    labels: { app: "web", tier: "front" },
    annotations: {
      "kubectl.kubernetes.io/last-applied-configuration": '{"kind":"Service"}\n',
      "example.com/owner": "team-a",
    },
  },
  spec: {
    selector: { app: "web" },
    type: "ClusterIP",
    ipFamilyPolicy: "SingleStack",
    ipFamilies: ["IPv4"],
    clusterIP: "10.96.12.7",
    clusterIPs: ["10.96.12.7"],
    ports: [
      { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
      { port: 9090, targetPort: 9090, protocol: "TCP" },
    ],
    sessionAffinity: "None",
    internalTrafficPolicy: "Cluster",
  },
  status: { loadBalancer: {} },
};

const slice = (name: string, ports: unknown[], endpoints: unknown[]): KubeObject => ({
  metadata: { name, namespace: "shop", labels: { "kubernetes.io/service-name": "web" } },
  addressType: "IPv4",
  ports,
  endpoints,
});

test("related: the service's endpoint slices by the service-name label", () => {
  assert.deepEqual(serviceDescriber.related?.(web), {
    endpointSlices:
      "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb",
  });
});

test("a ClusterIP service with two ports, its slices' ready endpoints, and events", () => {
  const slices = [
    slice(
      "web-a",
      [
        { name: "http", port: 8080, protocol: "TCP" },
        { name: "", port: 9090, protocol: "TCP" },
      ],
      [
        { addresses: ["10.1.0.5"], conditions: { ready: true } },
        { addresses: ["10.1.0.6"], conditions: { ready: false } },
        { addresses: ["fd00::7"], conditions: {} },
      ],
    ),
  ];
  const events: KubeObject[] = [
    {
      type: "Normal",
      reason: "Updated",
      message: "endpoints updated",
      source: { component: "endpoint-controller" },
      count: 3,
      firstTimestamp: "2026-03-10T11:00:00Z",
      lastTimestamp: "2026-03-10T11:55:00Z",
    },
  ];
  const text = serviceDescriber.describe({ object: web, events, related: { endpointSlices: slices }, now: NOW });
  assert.equal(
    text,
    [
      "Name:                     web",
      "Namespace:                shop",
      "Labels:                   app=web",
      "                          tier=front",
      "Annotations:              example.com/owner: team-a",
      "Selector:                 app=web",
      "Type:                     ClusterIP",
      "IP Family Policy:         SingleStack",
      "IP Families:              IPv4",
      "IP:                       10.96.12.7",
      "IPs:                      10.96.12.7",
      "Port:                     http  80/TCP",
      "TargetPort:               http/TCP",
      "Endpoints:                10.1.0.5:8080,[fd00::7]:8080",
      "Port:                     <unset>  9090/TCP",
      "TargetPort:               9090/TCP",
      "Endpoints:                10.1.0.5:9090,[fd00::7]:9090",
      "Session Affinity:         None",
      "Internal Traffic Policy:  Cluster",
      "Events:",
      "  Type    Reason   Age               From                 Message",
      "  ----    ------   ----              ----                 -------",
      "  Normal  Updated  5m (x3 over 60m)  endpoint-controller  endpoints updated",
    ].join("\n"),
  );
});

test("a LoadBalancer service: node ports, external IPs, load balancer ingress, health check port, source ranges", () => {
  const lb: KubeObject = {
    metadata: { name: "edge", namespace: "shop" },
    spec: {
      type: "LoadBalancer",
      clusterIP: "10.96.0.9",
      ports: [{ name: "https", port: 443, targetPort: 8443, nodePort: 31443, protocol: "TCP" }],
      externalIPs: ["203.0.113.7", "203.0.113.8"],
      loadBalancerIP: "198.51.100.1",
      sessionAffinity: "None",
      externalTrafficPolicy: "Local",
      healthCheckNodePort: 32000,
      loadBalancerSourceRanges: ["10.0.0.0/8", "192.168.0.0/16"],
    },
    status: { loadBalancer: { ingress: [{ ip: "198.51.100.1", ipMode: "VIP" }, { hostname: "lb.example.com" }] } },
  };
  const text = serviceDescriber.describe({ object: lb, events: [], related: { endpointSlices: [] }, now: NOW });
  assert.equal(
    text,
    [
      "Name:                        edge",
      "Namespace:                   shop",
      "Labels:                      <none>",
      "Annotations:                 <none>",
      "Selector:                    <none>",
      "Type:                        LoadBalancer",
      "IP Families:                 <none>",
      "IP:                          10.96.0.9",
      "IPs:                         <none>",
      "External IPs:                203.0.113.7,203.0.113.8",
      "Desired LoadBalancer IP:     198.51.100.1",
      "LoadBalancer Ingress:        198.51.100.1 (VIP), lb.example.com",
      "Port:                        https  443/TCP",
      "TargetPort:                  8443/TCP",
      "NodePort:                    https  31443/TCP",
      "Endpoints:                   <none>",
      "Session Affinity:            None",
      "External Traffic Policy:     Local",
      "HealthCheck NodePort:        32000",
      "LoadBalancer Source Ranges:  10.0.0.0/8,192.168.0.0/16",
      "Events:                      <none>",
    ].join("\n"),
  );
});

test("endpoints: three at most then '+ N more...', a port-less slice gives bare addresses", () => {
  const endpoints = [1, 2, 3, 4, 5].map((i) => ({ addresses: [`10.0.0.${i}`], conditions: { ready: i !== 2 } }));
  const ported = [slice("a", [{ name: "http", port: 80 }], endpoints)];
  // Four ready ones: three shown.
  assert.equal(formatEndpointSlices(ported, "http"), "10.0.0.1:80,10.0.0.3:80,10.0.0.4:80 + 1 more...");
  // kubectl's quirk: a fourth endpoint met marks "more" even when it is not ready (and so is not counted).
  const quirk = [slice("q", [{ name: "http", port: 80 }], endpoints.slice(0, 4).concat([endpoints[1]!]))];
  assert.equal(formatEndpointSlices(quirk, "http"), "10.0.0.1:80,10.0.0.3:80,10.0.0.4:80 + 0 more...");
  assert.equal(formatEndpointSlices(ported, "other"), "");
  assert.equal(formatEndpointSlices(ported, undefined), "10.0.0.1:80,10.0.0.3:80,10.0.0.4:80 + 1 more...");
  const headless = [slice("h", [], [{ addresses: ["10.0.0.9", "10.0.0.10"] }, { addresses: ["10.0.0.11"] }])];
  assert.equal(formatEndpointSlices(headless, "http"), "10.0.0.9,10.0.0.11");
  assert.equal(formatEndpointSlices([], "http"), "<none>");
});
