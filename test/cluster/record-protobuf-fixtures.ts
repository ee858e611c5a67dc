// Records real kube-apiserver responses for pods, in protobuf and in JSON, into test/fixtures/protobuf/:
//
//   pods-list.{pb,json}      LIST of 3 pods in namespace "fixtures"
//   pod-get.{pb,json}        GET of one of them
//   pods-watch.{pb,jsonl}    a WATCH from the LIST's resourceVersion while a 4th pod is created, set Running, deleted
//                            gracefully (MODIFIED with deletionTimestamp) and then at once (MODIFIED, DELETED)
//   manifest.json            for each file: request, Accept, response Content-Type, size, and the watch event types
//
//   node_modules/.bin/node test/cluster/record-protobuf-fixtures.ts [OUT_DIR]
//
// It starts its own cluster (test/cluster/cluster.ts, building the binaries if needed). UIDs, timestamps and
// resourceVersions differ on every recording; the shapes do not.
import { mkdirSync, writeFileSync } from "node:fs";
import https from "node:https";
import { join } from "node:path";
import { type Cluster, startCluster } from "./cluster.ts";

const PROTOBUF = "application/vnd.kubernetes.protobuf";
const outDir = process.argv[2] ?? join(import.meta.dirname, "..", "fixtures", "protobuf");
const ns = "fixtures";

interface Recorded {
  file: string;
  request: string;
  accept: string;
  status: number;
  contentType: string;
  bytes: number;
  events?: string[];
}
const manifest: Recorded[] = [];

function save(file: string, body: Buffer, meta: Omit<Recorded, "file" | "bytes">): void {
  writeFileSync(join(outDir, file), body);
  manifest.push({ file, bytes: body.length, ...meta });
}

async function get(cluster: Cluster, path: string, accept: string, file: string): Promise<Buffer> {
  const res = await cluster.request("GET", path, undefined, { headers: { Accept: accept } });
  if (res.status !== 200) throw new Error(`GET ${path} (${accept}): HTTP ${res.status}: ${res.body.toString()}`);
  save(file, res.body, {
    request: `GET ${path}`,
    accept,
    status: res.status,
    contentType: String(res.headers["content-type"]),
  });
  return res.body;
}

async function ok(promise: ReturnType<Cluster["request"]>, what: string) {
  const res = await promise;
  if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status}: ${res.body.toString()}`);
  return res;
}

const time = (offsetSeconds: number) =>
  new Date(Date.UTC(2026, 0, 2, 3, 4, 5) + offsetSeconds * 1000).toISOString().replace(".000Z", "Z");
const mergePatch = { headers: { "Content-Type": "application/merge-patch+json" } };

const pods = [
  {
    spec: {
      metadata: {
        name: "web-7d4b9c-x2k4p",
        labels: { app: "web", "pod-template-hash": "7d4b9c" },
        annotations: { "timoneiro.dev/note": "running, ready" },
      },
      spec: {
        nodeName: "node-a",
        containers: [
          {
            name: "nginx",
            image: "nginx:1.27",
            ports: [{ name: "http", containerPort: 80, protocol: "TCP" }],
            resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } },
            env: [{ name: "MODE", value: "prod" }],
          },
        ],
      },
    },
    status: {
      phase: "Running",
      hostIP: "192.0.2.10",
      podIP: "10.244.1.5",
      podIPs: [{ ip: "10.244.1.5" }],
      startTime: time(0),
      qosClass: "Burstable",
      conditions: [
        { type: "PodScheduled", status: "True", lastTransitionTime: time(0) },
        { type: "Initialized", status: "True", lastTransitionTime: time(1) },
        { type: "ContainersReady", status: "True", lastTransitionTime: time(5) },
        { type: "Ready", status: "True", lastTransitionTime: time(5) },
      ],
      containerStatuses: [
        {
          name: "nginx",
          image: "nginx:1.27",
          imageID: "docker.io/library/nginx@sha256:0000",
          containerID: "containerd://abc123",
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: time(4) } },
        },
      ],
    },
  },
  {
    spec: {
      metadata: { name: "crashy-0", labels: { app: "crashy" } },
      spec: {
        nodeName: "node-b",
        initContainers: [{ name: "init-config", image: "busybox:1.36", command: ["sh", "-c", "true"] }],
        containers: [
          { name: "app", image: "example/crashy:2" },
          { name: "sidecar", image: "example/log-shipper:1" },
        ],
      },
    },
    status: {
      phase: "Running",
      hostIP: "192.0.2.11",
      podIP: "10.244.2.9",
      startTime: time(0),
      conditions: [
        { type: "Initialized", status: "True", lastTransitionTime: time(2) },
        {
          type: "ContainersReady",
          status: "False",
          reason: "ContainersNotReady",
          message: "containers with unready status: [app]",
          lastTransitionTime: time(3),
        },
        {
          type: "Ready",
          status: "False",
          reason: "ContainersNotReady",
          message: "containers with unready status: [app]",
          lastTransitionTime: time(3),
        },
      ],
      initContainerStatuses: [
        {
          name: "init-config",
          image: "busybox:1.36",
          imageID: "",
          ready: true,
          restartCount: 0,
          state: { terminated: { exitCode: 0, reason: "Completed", startedAt: time(1), finishedAt: time(2) } },
        },
      ],
      containerStatuses: [
        {
          name: "app",
          image: "example/crashy:2",
          imageID: "",
          ready: false,
          started: false,
          restartCount: 5,
          state: { waiting: { reason: "CrashLoopBackOff", message: "back-off 2m40s restarting failed container" } },
          lastState: { terminated: { exitCode: 1, reason: "Error", startedAt: time(60), finishedAt: time(61) } },
        },
        {
          name: "sidecar",
          image: "example/log-shipper:1",
          imageID: "",
          ready: true,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: time(3) } },
        },
      ],
    },
  },
  {
    spec: {
      metadata: { name: "pending-abc", labels: { app: "batch" } },
      spec: { restartPolicy: "Never", containers: [{ name: "job", image: "example/job:1", args: ["--once"] }] },
    },
    status: {
      phase: "Pending",
      conditions: [
        {
          type: "PodScheduled",
          status: "False",
          reason: "Unschedulable",
          message: "0/2 nodes are available: 2 Insufficient cpu.",
          lastTransitionTime: time(0),
        },
      ],
    },
  },
];

mkdirSync(outDir, { recursive: true });
const cluster = await startCluster({ log: (m) => console.error(`[cluster] ${m}`) });
try {
  await ok(cluster.request("POST", "/api/v1/namespaces", { metadata: { name: ns } }), "create namespace");
  for (const pod of pods) {
    await ok(cluster.request("POST", `/api/v1/namespaces/${ns}/pods`, pod.spec), `create ${pod.spec.metadata.name}`);
    await ok(
      cluster.request(
        "PATCH",
        `/api/v1/namespaces/${ns}/pods/${pod.spec.metadata.name}/status`,
        { status: pod.status },
        mergePatch,
      ),
      `status of ${pod.spec.metadata.name}`,
    );
  }

  const listPath = `/api/v1/namespaces/${ns}/pods`;
  await get(cluster, listPath, PROTOBUF, "pods-list.pb");
  const listJson = JSON.parse((await get(cluster, listPath, "application/json", "pods-list.json")).toString()) as {
    metadata: { resourceVersion: string };
  };
  const getPath = `${listPath}/${pods[1]!.spec.metadata.name}`;
  await get(cluster, getPath, PROTOBUF, "pod-get.pb");
  await get(cluster, getPath, "application/json", "pod-get.json");

  // Both watches start from the LIST's resourceVersion, so they carry the same events.
  const rv = listJson.metadata.resourceVersion;
  const watchPath = `${listPath}?watch=1&resourceVersion=${rv}&allowWatchBookmarks=false`;
  const pbWatch = openStream(cluster, watchPath, `${PROTOBUF};stream=watch`);
  const jsonWatch = openStream(cluster, watchPath, "application/json");
  await Promise.all([pbWatch.opened, jsonWatch.opened]);

  const name = "watched-1";
  await ok(
    cluster.request("POST", `/api/v1/namespaces/${ns}/pods`, {
      metadata: { name, labels: { app: "watched" } },
      spec: { nodeName: "node-a", containers: [{ name: "main", image: "busybox:1.36", command: ["sleep", "3600"] }] },
    }),
    "create watched pod",
  );
  await ok(
    cluster.request(
      "PATCH",
      `/api/v1/namespaces/${ns}/pods/${name}/status`,
      {
        status: {
          phase: "Running",
          podIP: "10.244.1.6",
          startTime: time(10),
          conditions: [{ type: "Ready", status: "True", lastTransitionTime: time(12) }],
          containerStatuses: [
            {
              name: "main",
              image: "busybox:1.36",
              imageID: "",
              ready: true,
              started: true,
              restartCount: 0,
              state: { running: { startedAt: time(11) } },
            },
          ],
        },
      },
      mergePatch,
    ),
    "watched pod Running",
  );
  // Bound to a node, so a graceful delete only sets deletionTimestamp (MODIFIED); grace 0 then removes it (DELETED).
  await ok(
    cluster.request("DELETE", `/api/v1/namespaces/${ns}/pods/${name}`, { gracePeriodSeconds: 30 }),
    "graceful delete",
  );
  await ok(cluster.request("DELETE", `/api/v1/namespaces/${ns}/pods/${name}`, { gracePeriodSeconds: 0 }), "delete");

  // The JSON stream tells when the DELETED event came; the protobuf stream then must hold as many frames.
  const jsonLines = (buf: Buffer) => buf.toString().split("\n").filter(Boolean);
  const jsonBytes = await jsonWatch.until((buf) => jsonLines(buf).some((line) => line.startsWith('{"type":"DELETED"')));
  const jsonEvents = jsonLines(jsonBytes).map((line) => (JSON.parse(line) as { type: string }).type);
  const pbBytes = await pbWatch.until((buf) => pbFrames(buf).length >= jsonEvents.length);
  save("pods-watch.pb", pbBytes, {
    request: `GET ${watchPath}`,
    accept: `${PROTOBUF};stream=watch`,
    status: pbWatch.status(),
    contentType: pbWatch.contentType(),
    events: jsonEvents,
  });
  save("pods-watch.jsonl", jsonBytes, {
    request: `GET ${watchPath}`,
    accept: "application/json",
    status: jsonWatch.status(),
    contentType: jsonWatch.contentType(),
    events: jsonEvents,
  });
  const frames = pbFrames(pbBytes);
  // Each frame is a metav1.WatchEvent: field 1 (tag 0x0a) is the type, a short string.
  const pbEvents = frames.map((frame) => (frame[0] === 0x0a ? frame.subarray(2, 2 + (frame[1] ?? 0)).toString() : "?"));
  if (pbEvents.join() !== jsonEvents.join()) {
    throw new Error(`protobuf watch events ${pbEvents.join()} differ from the JSON ones ${jsonEvents.join()}`);
  }

  const version = (await cluster.request("GET", "/version")).json as { gitVersion: string };
  writeFileSync(
    join(outDir, "manifest.json"),
    `${JSON.stringify({ kubeApiserver: version.gitVersion, recordedAt: new Date().toISOString(), files: manifest }, null, 2)}\n`,
  );
  console.error(`recorded ${manifest.length} responses from kube-apiserver ${version.gitVersion} into ${outDir}`);
  console.error(`watch events: ${jsonEvents.join(", ")}`);
} finally {
  await cluster.stop();
}

/** Splits a protobuf watch stream into frames: each is a 4-byte big-endian length, then that many bytes. */
function pbFrames(buf: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let offset = 0;
  while (offset + 4 <= buf.length) {
    const length = buf.readUInt32BE(offset);
    if (offset + 4 + length > buf.length) break;
    frames.push(buf.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return frames;
}

function openStream(cluster: Cluster, path: string, accept: string) {
  const chunks: Buffer[] = [];
  let status = 0;
  let contentType = "";
  let notify = () => {};
  let failure: Error | undefined;
  const req = https.request(new URL(path, cluster.server), {
    ca: cluster.caPem,
    agent: false,
    headers: { Accept: accept, Authorization: `Bearer ${cluster.adminToken}` },
  });
  const opened = new Promise<void>((resolve, reject) => {
    req.on("response", (res) => {
      status = res.statusCode ?? 0;
      contentType = String(res.headers["content-type"]);
      if (status !== 200) reject(new Error(`watch ${accept}: HTTP ${status}`));
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        notify();
      });
      resolve();
    });
    req.on("error", (error) => {
      failure = error;
      reject(error);
      notify();
    });
  });
  req.end();
  return {
    opened,
    status: () => status,
    contentType: () => contentType,
    /** Waits (at most 30 s) until the bytes received satisfy done, then closes the stream and returns them. */
    async until(done: (buf: Buffer) => boolean): Promise<Buffer> {
      const deadline = Date.now() + 30_000;
      while (!done(Buffer.concat(chunks))) {
        if (failure) throw failure;
        if (Date.now() > deadline) throw new Error(`watch ${accept}: not enough events after 30 s`);
        await new Promise<void>((resolve) => {
          notify = resolve;
          setTimeout(resolve, 200);
        });
      }
      req.destroy();
      return Buffer.concat(chunks);
    },
  };
}
