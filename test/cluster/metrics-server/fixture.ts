// The aggregation layer of the fixture's kube-apiserver, and metrics-server behind it: the certificates, the
// kube-apiserver flags, the Service + APIService that register an aggregated API served on a loopback port,
// metrics-server's command line, and the KWOK configuration that makes KWOK's kubelets report resource usage.
// cluster.ts wires these in (startCluster({ kwok, metrics: true })); they live here so that cluster.ts, which other
// features share, only gains a few calls.
//
// How a request for metrics.k8s.io travels:
//   client → kube-apiserver (aggregator) → APIService v1beta1.metrics.k8s.io (port PORT) → Service
//   kube-system/metrics-server of type ExternalName 127.0.0.1 → https://127.0.0.1:PORT → metrics-server, which
//   authenticates the aggregator by its front-proxy client certificate (--requestheader-* flags, published by
//   kube-apiserver in kube-system/extension-apiserver-authentication).
// Why ExternalName (as kwokctl does) and not a ClusterIP Service: without kube-proxy the ClusterIP leads nowhere, and
// --enable-aggregator-routing (dial the Service's endpoint instead) needs an EndpointSlice with 127.0.0.1, which the
// apiserver refuses ("may not be in the loopback range"); the aggregator dials an ExternalName Service's name itself.
// metrics-server itself scrapes every node's InternalIP (127.0.0.1) on KWOK's port, at the path the Node's annotation
// metrics.k8s.io/resource-metrics-path names (KWOK serves one /metrics/nodes/NAME/metrics/resource per node).

import { webcrypto } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import "reflect-metadata"; // @peculiar/x509 needs it loaded first
import * as x509 from "@peculiar/x509";
import { parseAllDocuments } from "yaml";
import type { RequestOptions, RequestResult } from "../cluster.ts";

type Requester = (method: string, path: string, body?: unknown, opts?: RequestOptions) => Promise<RequestResult>;

/** The Node annotation metrics-server (≥ 0.7) reads the kubelet's resource-metrics path from. */
export const RESOURCE_METRICS_PATH_ANNOTATION = "metrics.k8s.io/resource-metrics-path";

/** Where KWOK serves a node's simulated /metrics/resource (the path of KWOK's metrics-resource Metric). */
export const kwokResourceMetricsPath = (node: string): string => `/metrics/nodes/${node}/metrics/resource`;

/** The pod annotations KWOK's usage-from-annotation ClusterResourceUsage reads a pod's CPU and memory usage from. */
export const USAGE_CPU_ANNOTATION = "kwok.x-k8s.io/usage-cpu";
export const USAGE_MEMORY_ANNOTATION = "kwok.x-k8s.io/usage-memory";

/** Name of the APIService metrics-server is registered as. */
export const METRICS_API_SERVICE = "v1beta1.metrics.k8s.io";

/**
 * metrics-server's --metric-resolution: how often it scrapes. 10 s is the least it accepts; CPU is a rate between two
 * scrapes and KWOK's first reading of a new pod's CPU counter is 0 (discarded as incomplete), so a new pod's metrics
 * appear three or four scrapes after it runs.
 */
export const METRIC_RESOLUTION_S = 10;

/** PEM files of the aggregation layer, in the cluster's temporary folder. */
export interface AggregationFiles {
  /** CA of the front proxy (kube-apiserver --requestheader-client-ca-file): signs the proxy client certificate only. */
  frontProxyCa: string;
  /** kube-apiserver's client certificate (CN front-proxy-client) for the aggregated API servers it proxies to. */
  proxyClientCert: string;
  proxyClientKey: string;
  /** CA of metrics-server's serving certificate: its APIService's caBundle. */
  servingCa: string;
  /** The same CA as PEM text. */
  servingCaPem: string;
  /** metrics-server's serving certificate (SAN metrics-server.kube-system.svc, as the aggregator verifies it). */
  metricsServerCert: string;
  metricsServerKey: string;
}

/** The front-proxy client's name, which kube-apiserver's --requestheader-allowed-names (and metrics-server) accept. */
export const FRONT_PROXY_CLIENT = "front-proxy-client";

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

interface Ca {
  keys: CryptoKeyPair;
  cert: x509.X509Certificate;
}

function subtleCrypto(): Crypto {
  const crypto = webcrypto as unknown as Crypto;
  x509.cryptoProvider.set(crypto);
  return crypto;
}

const validity = () => ({
  notBefore: new Date(Date.now() - 60 * 60 * 1000),
  notAfter: new Date(Date.now() + 10 * 365 * 24 * 60 * 60 * 1000),
});

async function makeCa(name: string): Promise<Ca> {
  const crypto = subtleCrypto();
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${name}`,
    ...validity(),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { keys, cert };
}

async function makeLeaf(
  ca: Ca,
  cn: string,
  usage: string,
  names: x509.JsonGeneralName[],
): Promise<{ cert: string; key: string }> {
  const crypto = subtleCrypto();
  const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${cn}`,
    issuer: ca.cert.subject,
    ...validity(),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([usage]),
      ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  return {
    cert: cert.toString("pem"),
    key: pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", keys.privateKey)),
  };
}

/** A serving certificate for an aggregated API server, and the CA to put in its APIService's caBundle. */
export interface ServingCert {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/**
 * A CA and a serving certificate signed by it for an aggregated server behind Service `namespace/service`: the
 * aggregator checks the name `<service>.<namespace>.svc`, whatever address it dials (127.0.0.1 is in it too).
 */
export async function makeServingCert(namespace: string, service: string): Promise<ServingCert> {
  const ca = await makeCa(`timoneiro-envtest-${service}-ca`);
  const leaf = await makeLeaf(ca, service, x509.ExtendedKeyUsage.serverAuth, [
    { type: "dns", value: `${service}.${namespace}.svc` },
    { type: "ip", value: "127.0.0.1" },
  ]);
  return { caPem: ca.cert.toString("pem"), certPem: leaf.cert, keyPem: leaf.key };
}

/**
 * Makes the front-proxy CA and client certificate, and metrics-server's serving certificate with its own CA, like
 * cluster.ts makes the others (@peculiar/x509, ECDSA P-256), and writes them into `dir`. The front-proxy CA is not the
 * apiserver's client CA: any client certificate that CA signs could otherwise claim any user through the X-Remote-*
 * headers.
 */
export async function writeAggregationPki(dir: string): Promise<AggregationFiles> {
  const frontProxyCa = await makeCa("timoneiro-envtest-front-proxy-ca");
  const proxyClient = await makeLeaf(frontProxyCa, FRONT_PROXY_CLIENT, x509.ExtendedKeyUsage.clientAuth, []);
  const metricsServer = await makeServingCert("kube-system", "metrics-server");
  const files: AggregationFiles = {
    frontProxyCa: join(dir, "front-proxy-ca.crt"),
    proxyClientCert: join(dir, "front-proxy-client.crt"),
    proxyClientKey: join(dir, "front-proxy-client.key"),
    servingCa: join(dir, "metrics-server-ca.crt"),
    servingCaPem: metricsServer.caPem,
    metricsServerCert: join(dir, "metrics-server.crt"),
    metricsServerKey: join(dir, "metrics-server.key"),
  };
  writeFileSync(files.frontProxyCa, frontProxyCa.cert.toString("pem"));
  writeFileSync(files.proxyClientCert, proxyClient.cert);
  writeFileSync(files.proxyClientKey, proxyClient.key, { mode: 0o600 });
  writeFileSync(files.servingCa, files.servingCaPem);
  writeFileSync(files.metricsServerCert, metricsServer.certPem);
  writeFileSync(files.metricsServerKey, metricsServer.keyPem, { mode: 0o600 });
  return files;
}

/** kube-apiserver flags that turn the aggregation layer's proxying on (what kubeadm sets). */
export function aggregationApiserverFlags(files: AggregationFiles): string[] {
  return [
    `--requestheader-client-ca-file=${files.frontProxyCa}`,
    `--requestheader-allowed-names=${FRONT_PROXY_CLIENT}`,
    "--requestheader-username-headers=X-Remote-User",
    "--requestheader-group-headers=X-Remote-Group",
    "--requestheader-extra-headers-prefix=X-Remote-Extra-",
    `--proxy-client-cert-file=${files.proxyClientCert}`,
    `--proxy-client-key-file=${files.proxyClientKey}`,
  ];
}

/** An aggregated API served at https://127.0.0.1:port, whose serving certificate `caPem` signs. */
export interface ApiServiceTarget {
  group: string;
  version: string;
  /** Namespace and name of the Service the APIService points at (created here: ExternalName 127.0.0.1). */
  namespace: string;
  service: string;
  /** Loopback port the aggregated server listens on. */
  port: number;
  /** PEM of the CA of its serving certificate, which must name `<service>.<namespace>.svc`. */
  caPem: string;
}

/** An object to create: only its name is read here. */
interface Manifest {
  metadata: { name: string; [key: string]: unknown };
  [key: string]: unknown;
}

async function mustApply(request: Requester, path: string, body: Manifest): Promise<void> {
  const res = await request("POST", path, body);
  if (res.status === 201 || res.status === 200) return;
  if (res.status !== 409) throw new Error(`POST ${path}: HTTP ${res.status}: ${res.body.toString("utf8")}`);
  // Already there (registered again on another port): replace it.
  const current = await request("GET", `${path}/${body.metadata.name}`);
  const resourceVersion = (current.json as { metadata?: { resourceVersion?: string } } | undefined)?.metadata
    ?.resourceVersion;
  const put = await request("PUT", `${path}/${body.metadata.name}`, {
    ...body,
    metadata: { ...body.metadata, resourceVersion },
  });
  if (put.status !== 200) throw new Error(`PUT ${path}/${body.metadata.name}: HTTP ${put.status}: ${put.body}`);
}

/**
 * Registers an aggregated API behind kube-apiserver: a Service of type ExternalName 127.0.0.1 and the APIService
 * `<version>.<group>` pointing at it on `port` (for an ExternalName Service the aggregator dials the APIService's port
 * on the external name), trusting `caPem`.
 */
export async function registerApiService(request: Requester, target: ApiServiceTarget): Promise<void> {
  const { namespace, service, port } = target;
  await mustApply(request, `/api/v1/namespaces/${namespace}/services`, {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: service, namespace },
    spec: { type: "ExternalName", externalName: "127.0.0.1" },
  });
  await mustApply(request, "/apis/apiregistration.k8s.io/v1/apiservices", {
    apiVersion: "apiregistration.k8s.io/v1",
    kind: "APIService",
    metadata: { name: `${target.version}.${target.group}` },
    spec: {
      group: target.group,
      version: target.version,
      service: { namespace, name: service, port },
      caBundle: Buffer.from(target.caPem).toString("base64"),
      groupPriorityMinimum: 100,
      versionPriority: 100,
    },
  });
}

/** The APIService's Available condition: true, or why not (its reason and message). */
export async function apiServiceAvailable(request: Requester, name: string): Promise<true | string> {
  const res = await request("GET", `/apis/apiregistration.k8s.io/v1/apiservices/${name}`);
  if (res.status !== 200) return `APIService ${name}: HTTP ${res.status}`;
  const conditions =
    (res.json as { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } })
      .status?.conditions ?? [];
  const available = conditions.find((c) => c.type === "Available");
  if (available?.status === "True") return true;
  return `APIService ${name} not Available: ${available ? `${available.reason}: ${available.message}` : "no condition yet"}`;
}

/**
 * True once the APIService `<version>.<group>` is Available and its group-version answers through the aggregator (the
 * condition alone can still be True from before a restart: the availability controller checks only now and then).
 */
export async function apiServiceServing(request: Requester, group: string, version: string): Promise<true | string> {
  const available = await apiServiceAvailable(request, `${version}.${group}`);
  if (available !== true) return available;
  const res = await request("GET", `/apis/${group}/${version}`, undefined, { timeoutMs: 5000 });
  return (
    res.status === 200 || `GET /apis/${group}/${version}: HTTP ${res.status}: ${res.body.toString().slice(0, 300)}`
  );
}

/** The metrics-server binary build.sh put in binDir (metrics-server-vX.Y.Z/metrics-server). */
export function metricsServerBinary(binDir: string): string {
  const dir = readdirSync(binDir)
    .filter((name) => name.startsWith("metrics-server-v"))
    .sort()
    .pop();
  if (!dir) throw new Error(`no metrics-server-v* folder in ${binDir}: run test/cluster/build.sh`);
  return join(binDir, dir, "metrics-server");
}

/**
 * KWOK's own metrics configuration, copied by build.sh from the KWOK module into kwok-vX.Y.Z/metrics/: the Metric
 * `metrics-resource` (a kubelet /metrics/resource per node, with CPU as a counter that KWOK integrates over time) and
 * the ClusterResourceUsage `usage-from-annotation` (a pod's usage from its kwok.x-k8s.io/usage-{cpu,memory}
 * annotations; 1m and 1Mi per container without them).
 */
export function kwokMetricsConfig(kwokDir: string): Record<string, unknown>[] {
  const dir = join(kwokDir, "metrics");
  const objects: Record<string, unknown>[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".yaml"))
    .sort()) {
    for (const doc of parseAllDocuments(readFileSync(join(dir, name), "utf8"))) {
      const obj = doc.toJS() as Record<string, unknown> | null;
      if (obj) objects.push(obj);
    }
  }
  const kinds = objects.map((o) => o.kind);
  if (!kinds.includes("Metric") || !kinds.includes("ClusterResourceUsage")) {
    throw new Error(`${dir} lacks KWOK's Metric or ClusterResourceUsage (found ${kinds.join(", ")}): run build.sh`);
  }
  return objects;
}

/** metrics-server's command line: serving on 127.0.0.1:port, as admin through the kubeconfig, scraping KWOK. */
export function metricsServerArgs(opts: {
  port: number;
  kubeconfig: string;
  certDir: string;
  files: AggregationFiles;
}): string[] {
  return [
    "--bind-address=127.0.0.1",
    `--secure-port=${opts.port}`,
    `--tls-cert-file=${opts.files.metricsServerCert}`,
    `--tls-private-key-file=${opts.files.metricsServerKey}`,
    `--cert-dir=${opts.certDir}`,
    `--kubeconfig=${opts.kubeconfig}`,
    // Reads the front-proxy CA from kube-system/extension-apiserver-authentication, checks callers by TokenReview and
    // SubjectAccessReview: as admin, allowed to do all three.
    `--authentication-kubeconfig=${opts.kubeconfig}`,
    `--authorization-kubeconfig=${opts.kubeconfig}`,
    // KWOK's kubelet serves a self-signed certificate and asks for no client credentials.
    "--kubelet-insecure-tls",
    "--kubelet-preferred-address-types=InternalIP",
    // KWOK's port, from Node.status.daemonEndpoints (KWOK's --node-port): the same for every KWOK node.
    "--kubelet-use-node-status-port",
    `--metric-resolution=${METRIC_RESOLUTION_S}s`,
    // metrics-server wants the scrape timeout below the resolution (default 10 s = the least resolution).
    "--kubelet-request-timeout=5s",
    "--v=1",
  ];
}
