// kubectl describe ingress: address, class, default backend, TLS, the rules table with each service backend's
// endpoints (or the error GETting the service), resource backends, annotations after the rules, events.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../../../src/kube/objects.ts";
import { ingressDescriber } from "../../../../src/resources/describe/ingresses.ts";
import type { DescribeInput } from "../../../../src/resources/describe/types.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");

const shop: KubeObject = {
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: {
    name: "shop",
    namespace: "web",
    labels: { app: "shop" },
    annotations: { "nginx.ingress.kubernetes.io/rewrite-target": "/", "cert-manager.io/cluster-issuer": "letsencrypt" },
  },
  spec: {
    ingressClassName: "nginx",
    defaultBackend: { service: { name: "frontend", port: { name: "http" } } },
    tls: [
      { hosts: ["shop.example.com", "www.shop.example.com"], secretName: "shop-tls" },
      { hosts: ["sni.example.com"] },
    ],
    rules: [
      {
        host: "shop.example.com",
        http: {
          paths: [
            { path: "/", pathType: "Prefix", backend: { service: { name: "frontend", port: { number: 80 } } } },
            { path: "/api", pathType: "Prefix", backend: { service: { name: "api", port: { number: 8080 } } } },
          ],
        },
      },
      { host: "no-http.example.com" },
      {
        http: {
          paths: [
            {
              path: "/assets",
              pathType: "ImplementationSpecific",
              backend: { resource: { apiGroup: "k8s.example.com", kind: "StorageBucket", name: "assets" } },
            },
          ],
        },
      },
    ],
  },
  status: {
    loadBalancer: { ingress: [{ ip: "203.0.113.10" }, { hostname: "lb.example.com" }, { ip: "203.0.113.10" }] },
  },
};

const frontend: KubeObject = {
  metadata: { name: "frontend", namespace: "web" },
  spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }] },
};
const frontendSlices: KubeObject[] = [
  {
    metadata: { name: "frontend-1" },
    ports: [{ name: "http", port: 8080 }],
    endpoints: [
      { addresses: ["10.2.0.4"], conditions: { ready: true } },
      { addresses: ["10.2.0.5"], conditions: { ready: true } },
    ],
  },
];

test("related: each service backend's service and endpoint slices", () => {
  assert.deepEqual(ingressDescriber.related?.(shop), {
    "service:frontend": "/api/v1/namespaces/web/services/frontend",
    "endpointSlices:frontend":
      "/apis/discovery.k8s.io/v1/namespaces/web/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dfrontend",
    "service:api": "/api/v1/namespaces/web/services/api",
    "endpointSlices:api":
      "/apis/discovery.k8s.io/v1/namespaces/web/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dapi",
  });
});

const CASES: { name: string; input: DescribeInput; want: string[] }[] = [
  {
    name: "rules, TLS, a default backend; a missing service says so; a host without http is skipped",
    input: {
      object: shop,
      events: [
        {
          type: "Normal",
          reason: "Sync",
          message: "Scheduled for sync",
          source: { component: "nginx-ingress-controller" },
          count: 1,
          firstTimestamp: "2026-03-08T12:00:00Z",
          lastTimestamp: "2026-03-08T12:00:00Z",
        },
      ],
      related: {
        "service:frontend": frontend,
        "endpointSlices:frontend": frontendSlices,
        "service:api": undefined,
        "endpointSlices:api": [],
      },
      now: NOW,
    },
    want: [
      "Name:             shop",
      "Labels:           app=shop",
      "Namespace:        web",
      "Address:          203.0.113.10,lb.example.com",
      "Ingress Class:    nginx",
      "Default backend:  frontend:http (10.2.0.4:8080,10.2.0.5:8080)",
      "TLS:",
      "  shop-tls terminates shop.example.com,www.shop.example.com",
      "  SNI routes sni.example.com",
      "Rules:",
      "  Host              Path  Backends",
      "  ----              ----  --------",
      "  shop.example.com  ",
      "                    /      frontend:80 (10.2.0.4:8080,10.2.0.5:8080)",
      '                    /api   api:8080 (<error: services "api" not found>)',
      "  *                 ",
      "                    /assets   APIGroup: k8s.example.com, Kind: StorageBucket, Name: assets",
      "Annotations:        cert-manager.io/cluster-issuer: letsencrypt",
      "                    nginx.ingress.kubernetes.io/rewrite-target: /",
      "Events:",
      "  Type    Reason  Age   From                      Message",
      "  ----    ------  ----  ----                      -------",
      "  Normal  Sync    2d    nginx-ingress-controller  Scheduled for sync",
    ],
  },
  {
    name: "only a default backend: the rules table's one row is it; no address yet",
    input: {
      object: {
        metadata: { name: "fallback", namespace: "web" },
        spec: { defaultBackend: { service: { name: "frontend", port: { number: 80 } } } },
      },
      events: [],
      related: { "service:frontend": frontend, "endpointSlices:frontend": [] },
      now: NOW,
    },
    want: [
      "Name:             fallback",
      "Labels:           <none>",
      "Namespace:        web",
      "Address:          ",
      "Ingress Class:    <none>",
      "Default backend:  frontend:80 (<none>)",
      "Rules:",
      "  Host        Path  Backends",
      "  ----        ----  --------",
      "  *           *     frontend:80 (<none>)",
      "Annotations:  <none>",
      "Events:       <none>",
    ],
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const text = ingressDescriber.describe(c.input);
    assert.equal(text, c.want.join("\n"));
  });
}
