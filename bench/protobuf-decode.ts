// Decode cost of a LIST page of pods, JSON vs protobuf, each including podRow (what the reflector does per item):
//   JSON:     JSON.parse(body) + podRow per item
//   protobuf: protobufDecoder.decodeList(body) + podRow per item
// on realistic pods (8-10 KB of JSON each: managedFields, env, volumes, probes, status), from the simulator's cluster
// generator (--from sim, the default) or built here (--from bench), and encoded to protobuf with
// src/kube/protobuf/encoder.ts. Prints MB/s of wire bytes and µs per pod for both.
//
//   node bench/protobuf-decode.ts [--pods 1000] [--rounds 30] [--from sim|bench]

import { encodePodList } from "../src/kube/protobuf/encoder.ts";
import { protobufDecoder } from "../src/kube/protobuf/index.ts";
import { jsonDecoder } from "../src/kube/wire.ts";
import { podRow } from "../src/resources/pods.ts";
import { ClusterModel } from "../src/sim/generate.ts";

type Json = Record<string, unknown>;

const T0 = Date.parse("2025-03-01T08:00:00Z");
const time = (offsetSeconds: number): string =>
  new Date(T0 + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A pod of a Deployment as kube-apiserver returns it, varied by `i` (some restarting, some with an init container). */
export function realisticPod(i: number): Json {
  const app = `svc-${i % 40}`;
  const hash = (0x5f3a7c1 + i * 7919).toString(16).slice(0, 7);
  const name = `${app}-${hash}-${(i * 31337).toString(36).slice(-5)}`;
  const namespace = `team-${i % 12}`;
  const node = `ip-10-0-${i % 50}-${(i * 7) % 250}.eu-west-1.compute.internal`;
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  const crashing = i % 17 === 0;
  const withInit = i % 5 === 0;
  const container = (cname: string, image: string, port: number): Json => ({
    name: cname,
    image,
    command: ["/bin/server"],
    args: ["--port", String(port), "--log-level=info", `--config=/etc/${app}/config.yaml`],
    ports: [
      { name: "http", containerPort: port, protocol: "TCP" },
      { name: "metrics", containerPort: 9090, protocol: "TCP" },
    ],
    env: [
      { name: "APP_NAME", value: app },
      { name: "ENVIRONMENT", value: "production" },
      { name: "LOG_FORMAT", value: "json" },
      { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: "http://otel-collector.observability:4317" },
      { name: "POD_NAME", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } },
      { name: "POD_NAMESPACE", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } } },
      { name: "POD_IP", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "status.podIP" } } },
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: `${app}-db`, key: "password" } } },
      { name: "FEATURE_FLAGS", valueFrom: { configMapKeyRef: { name: `${app}-flags`, key: "flags" } } },
    ],
    resources: { limits: { cpu: "1", memory: "512Mi" }, requests: { cpu: "250m", memory: "256Mi" } },
    volumeMounts: [
      { name: "config", mountPath: `/etc/${app}`, readOnly: true },
      { name: "tmp", mountPath: "/tmp" },
      { name: "kube-api-access-abcde", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount", readOnly: true },
    ],
    livenessProbe: {
      httpGet: { path: "/healthz", port, scheme: "HTTP" },
      initialDelaySeconds: 10,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    },
    readinessProbe: {
      httpGet: { path: "/ready", port: "http", scheme: "HTTP" },
      timeoutSeconds: 1,
      periodSeconds: 5,
      successThreshold: 1,
      failureThreshold: 3,
    },
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    imagePullPolicy: "IfNotPresent",
    securityContext: {
      capabilities: { drop: ["ALL"] },
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    },
  });
  const running = (cname: string, image: string, restarts: number): Json => ({
    name: cname,
    state: crashing
      ? { waiting: { reason: "CrashLoopBackOff", message: `back-off 5m0s restarting failed container=${cname}` } }
      : { running: { startedAt: time(60) } },
    lastState:
      restarts > 0
        ? {
            terminated: {
              exitCode: 1,
              reason: "Error",
              startedAt: time(30),
              finishedAt: time(50),
              containerID: `containerd://${hash}${"0".repeat(57)}`,
            },
          }
        : {},
    ready: !crashing,
    restartCount: restarts,
    image,
    imageID: `registry.example.com/${app}@sha256:${"ab12".repeat(16)}`,
    containerID: `containerd://${"f00d".repeat(16)}`,
    started: !crashing,
    volumeMounts: [
      { name: "config", mountPath: `/etc/${app}`, readOnly: true, recursiveReadOnly: "Disabled" },
      { name: "tmp", mountPath: "/tmp" },
    ],
  });
  const image = `registry.example.com/${app}:v1.${i % 9}.${i % 4}`;
  const spec: Json = {
    volumes: [
      { name: "config", configMap: { name: `${app}-config`, defaultMode: 420 } },
      { name: "tmp", emptyDir: {} },
      { name: "tls", secret: { secretName: `${app}-tls`, defaultMode: 420 } },
      {
        name: "kube-api-access-abcde",
        projected: {
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
            { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
            {
              downwardAPI: {
                items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }],
              },
            },
          ],
          defaultMode: 420,
        },
      },
    ],
    containers: [container("app", image, 8080), container("proxy", "registry.example.com/envoy:v1.31.0", 15001)],
    restartPolicy: "Always",
    terminationGracePeriodSeconds: 30,
    dnsPolicy: "ClusterFirst",
    serviceAccountName: app,
    serviceAccount: app,
    nodeName: node,
    securityContext: { runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: "RuntimeDefault" } },
    schedulerName: "default-scheduler",
    tolerations: [
      { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
    ],
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: "PreemptLowerPriority",
  };
  if (withInit) {
    spec.initContainers = [
      {
        name: "migrate",
        image,
        command: ["/bin/migrate"],
        resources: {},
        terminationMessagePath: "/dev/termination-log",
        terminationMessagePolicy: "File",
        imagePullPolicy: "IfNotPresent",
      },
    ];
  }
  const status: Json = {
    phase: "Running",
    conditions: [
      { type: "PodReadyToStartContainers", status: "True", lastProbeTime: null, lastTransitionTime: time(20) },
      { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: time(25) },
      crashing
        ? {
            type: "Ready",
            status: "False",
            lastProbeTime: null,
            lastTransitionTime: time(70),
            reason: "ContainersNotReady",
            message: "containers with unready status: [app proxy]",
          }
        : { type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: time(70) },
      crashing
        ? {
            type: "ContainersReady",
            status: "False",
            lastProbeTime: null,
            lastTransitionTime: time(70),
            reason: "ContainersNotReady",
            message: "containers with unready status: [app proxy]",
          }
        : { type: "ContainersReady", status: "True", lastProbeTime: null, lastTransitionTime: time(70) },
      { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: time(0) },
    ],
    hostIP: `10.0.${i % 50}.${(i * 7) % 250}`,
    hostIPs: [{ ip: `10.0.${i % 50}.${(i * 7) % 250}` }],
    podIP: ip,
    podIPs: [{ ip }],
    startTime: time(1),
    containerStatuses: [
      running("app", image, crashing ? 7 : i % 3),
      running("proxy", "registry.example.com/envoy:v1.31.0", 0),
    ],
    qosClass: "Burstable",
  };
  if (withInit) {
    status.initContainerStatuses = [
      {
        name: "migrate",
        state: {
          terminated: {
            exitCode: 0,
            reason: "Completed",
            startedAt: time(5),
            finishedAt: time(15),
            containerID: `containerd://${"beef".repeat(16)}`,
          },
        },
        lastState: {},
        ready: true,
        restartCount: 0,
        image,
        imageID: `registry.example.com/${app}@sha256:${"ab12".repeat(16)}`,
        containerID: `containerd://${"beef".repeat(16)}`,
        started: false,
      },
    ];
  }
  const fieldsV1 = (keys: string[]): Json => Object.fromEntries(keys.map((k) => [k, {}]));
  return {
    metadata: {
      name,
      generateName: `${app}-${hash}-`,
      namespace,
      uid: `${hash}-1111-2222-3333-${(i + 100000).toString(16).padStart(12, "0")}`,
      resourceVersion: String(1000000 + i),
      creationTimestamp: time(0),
      labels: {
        app,
        "pod-template-hash": hash,
        "app.kubernetes.io/part-of": "shop",
        "app.kubernetes.io/version": `v1.${i % 9}`,
      },
      annotations: {
        "prometheus.io/scrape": "true",
        "prometheus.io/port": "9090",
        "kubectl.kubernetes.io/restartedAt": time(-3600),
      },
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          name: `${app}-${hash}`,
          uid: `${hash}-rs`,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
      managedFields: [
        {
          manager: "kube-controller-manager",
          operation: "Update",
          apiVersion: "v1",
          time: time(0),
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:metadata": {
              "f:generateName": {},
              "f:labels": fieldsV1([".", "f:app", "f:pod-template-hash"]),
              "f:ownerReferences": { ".": {}, [`k:{"uid":"${hash}-rs"}`]: {} },
            },
            "f:spec": {
              "f:containers": {
                'k:{"name":"app"}': fieldsV1([
                  ".",
                  "f:args",
                  "f:command",
                  "f:env",
                  "f:image",
                  "f:imagePullPolicy",
                  "f:livenessProbe",
                  "f:name",
                  "f:ports",
                  "f:readinessProbe",
                  "f:resources",
                  "f:securityContext",
                  "f:terminationMessagePath",
                  "f:terminationMessagePolicy",
                  "f:volumeMounts",
                ]),
                'k:{"name":"proxy"}': fieldsV1([
                  ".",
                  "f:args",
                  "f:command",
                  "f:env",
                  "f:image",
                  "f:imagePullPolicy",
                  "f:name",
                  "f:ports",
                  "f:resources",
                  "f:terminationMessagePath",
                  "f:terminationMessagePolicy",
                ]),
              },
              ...fieldsV1([
                "f:dnsPolicy",
                "f:enableServiceLinks",
                "f:restartPolicy",
                "f:schedulerName",
                "f:securityContext",
                "f:serviceAccount",
                "f:serviceAccountName",
                "f:terminationGracePeriodSeconds",
              ]),
              "f:volumes": fieldsV1(['k:{"name":"config"}', 'k:{"name":"tmp"}', 'k:{"name":"tls"}']),
            },
          },
        },
        {
          manager: "kubelet",
          operation: "Update",
          apiVersion: "v1",
          time: time(70),
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:status": {
              "f:conditions": fieldsV1([
                'k:{"type":"ContainersReady"}',
                'k:{"type":"Initialized"}',
                'k:{"type":"PodReadyToStartContainers"}',
                'k:{"type":"Ready"}',
              ]),
              ...fieldsV1([
                "f:containerStatuses",
                "f:hostIP",
                "f:hostIPs",
                "f:phase",
                "f:podIP",
                "f:podIPs",
                "f:startTime",
              ]),
            },
          },
          subresource: "status",
        },
      ],
    },
    spec,
    status,
  };
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

/** `count` pods of the simulator's generated cluster (its Deployments, StatefulSets, Jobs... in their mixed states). */
function simPods(count: number): Json[] {
  const model = new ClusterModel(42, T0);
  model.plan(count);
  const pods: Json[] = [];
  for (const w of model.workloads) for (let i = 0; i < w.replicas; i++) pods.push(model.makePod(w, i) as Json);
  return pods.slice(0, count);
}

function main(): void {
  const wanted = Number(option("--pods", "1000"));
  const rounds = Number(option("--rounds", "30"));
  const from = option("--from", "sim");
  const pods = from === "sim" ? simPods(wanted) : Array.from({ length: wanted }, (_, i) => realisticPod(i));
  const count = pods.length;
  const list = { metadata: { resourceVersion: "2000000" }, items: pods };
  const jsonBody = Buffer.from(JSON.stringify({ kind: "PodList", apiVersion: "v1", ...list }));
  const protoBody = encodePodList(list);

  // Same rows from both, or the comparison means nothing.
  const jsonRows = jsonDecoder.decodeList(jsonBody).items.map(podRow);
  const protoRows = protobufDecoder.decodeList(protoBody).items.map(podRow);
  if (JSON.stringify(jsonRows) !== JSON.stringify(protoRows)) throw new Error("JSON and protobuf rows differ");

  const measure = (label: string, body: Buffer, decode: (b: Buffer) => number): void => {
    for (let i = 0; i < 5; i++) decode(body); // warm-up: let the JIT settle
    const times: number[] = [];
    let sink = 0;
    for (let i = 0; i < rounds; i++) {
      const start = process.hrtime.bigint();
      sink += decode(body);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const mbPerS = body.length / 1e6 / (median / 1000);
    console.log(
      `${label.padEnd(9)} ${(body.length / 1e6).toFixed(2).padStart(6)} MB  ${(body.length / count / 1024).toFixed(1).padStart(5)} KB/pod  ` +
        `median ${median.toFixed(1).padStart(6)} ms  ${((median * 1000) / count).toFixed(1).padStart(6)} µs/pod  ` +
        `${mbPerS.toFixed(0).padStart(5)} MB/s  (min ${times[0]!.toFixed(1)} ms, ${sink > 0 ? "ok" : "?"})`,
    );
  };

  console.log(`${count} pods (--from ${from}), ${rounds} rounds, Node ${process.version}`);
  measure("json", jsonBody, (b) => {
    const items = (JSON.parse(b.toString("utf8")) as { items: Json[] }).items;
    let n = 0;
    for (const item of items) n += podRow(item as never).restarts + 1;
    return n;
  });
  measure("protobuf", protoBody, (b) => {
    const items = protobufDecoder.decodeList(b).items;
    let n = 0;
    for (const item of items) n += podRow(item).restarts + 1;
    return n;
  });
}

if (import.meta.main) main();
