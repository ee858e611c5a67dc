// Fixtures for the kinds added beyond the workloads: an API object and the full server-side Table row kube-apiserver
// (v1.37) prints for it — NAME first, wide columns included, integers as numbers. Times are relative to `now`.
// All but the Role, ClusterRole and CRD cases agree with kube-apiserver's own printers (oracle/compare.ts).
import type { KubeObject } from "../../../src/kube/objects.ts";
import type { KindCase } from "./kind-cases.ts";

type Json = Record<string, unknown>;

export function builtinKindCases(now: number): KindCase[] {
  const at = (ms: number) => new Date(now - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const S = 1000;
  const MIN = 60 * S;
  const HOUR = 60 * MIN;
  const DAY = 24 * HOUR;
  const created = at(3 * DAY + 4 * HOUR);
  const meta = (name: string, extra: Json = {}) => ({
    name,
    namespace: "default",
    uid: `uid-${name}`,
    creationTimestamp: created,
    ...extra,
  });
  const clusterMeta = (name: string, extra: Json = {}) => ({
    name,
    uid: `uid-${name}`,
    creationTimestamp: created,
    ...extra,
  });
  const podTemplate = { spec: { containers: [{ name: "work", image: "busybox:1.37" }] } };
  const jobOwner = { apiVersion: "batch/v1", kind: "CronJob", name: "nightly", uid: "u1", controller: true };

  const job = (name: string, spec: Json, status: Json, extra: Json = {}): KubeObject => ({
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: meta(name, extra),
    spec: { selector: { matchLabels: { "batch.kubernetes.io/job-name": name } }, template: podTemplate, ...spec },
    status,
  });
  const cronJob = (name: string, spec: Json, status: Json): KubeObject => ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: meta(name),
    spec: { schedule: "0 3 * * *", suspend: false, jobTemplate: { spec: { template: podTemplate } }, ...spec },
    status,
  });
  const event = (name: string, fields: Json): KubeObject => ({
    apiVersion: "v1",
    kind: "Event",
    metadata: meta(name),
    involvedObject: { kind: "Pod", namespace: "default", name: "web-1", fieldPath: "spec.containers{web}" },
    reason: "BackOff",
    message: "Back-off restarting failed container web\n",
    source: { component: "kubelet", host: "node-1" },
    type: "Warning",
    ...fields,
  });
  const hpa = (name: string, spec: Json, status: Json): KubeObject => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: meta(name),
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, maxReplicas: 10, ...spec },
    status,
  });
  const cpu = (target: Json) => ({ type: "Resource", resource: { name: "cpu", target } });
  const cpuNow = (current: Json) => ({ type: "Resource", resource: { name: "cpu", current } });
  const ingress = (name: string, spec: Json, status: Json = {}): KubeObject => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: meta(name),
    spec,
    status,
  });
  const rule = (host?: string) => ({
    ...(host !== undefined && { host }),
    http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] },
  });
  const binding = (kind: "RoleBinding" | "ClusterRoleBinding", name: string, roleRef: Json, subjects: Json[]) => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: kind === "RoleBinding" ? meta(name) : clusterMeta(name),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
    subjects,
  });
  const slice = (name: string, ports: Json[], addresses: string[][]): KubeObject => ({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: meta(name, {
      labels: { "kubernetes.io/service-name": "web" },
      ownerReferences: [{ apiVersion: "v1", kind: "Service", name: "web", uid: "u2", controller: true }],
    }),
    addressType: "IPv4",
    ports,
    endpoints: addresses.map((a) => ({ addresses: a, conditions: { ready: true } })),
  });
  const pvc = (name: string, spec: Json, status: Json, extra: Json = {}): KubeObject => ({
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: meta(name, extra),
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "10Gi" } }, ...spec },
    status,
  });
  const pv = (name: string, spec: Json, status: Json, extra: Json = {}): KubeObject => ({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: clusterMeta(name, extra),
    spec: { hostPath: { path: `/data/${name}` }, ...spec },
    status,
  });

  return [
    // Jobs
    {
      name: "job still running: DURATION grows from startTime",
      obj: job(
        "migrate",
        { completions: 3, parallelism: 1 },
        { startTime: at(5 * MIN + 3 * S), active: 1, succeeded: 1 },
      ),
      cells: [
        "migrate",
        "Running",
        "1/3",
        "5m3s",
        "3d4h",
        "work",
        "busybox:1.37",
        "batch.kubernetes.io/job-name=migrate",
      ],
    },
    {
      name: "job complete: DURATION from start to completion",
      obj: job(
        "nightly-29100000",
        { completions: 1, parallelism: 1 },
        {
          startTime: at(2 * HOUR),
          completionTime: at(2 * HOUR - 47 * S),
          succeeded: 1,
          conditions: [
            { type: "SuccessCriteriaMet", status: "True" },
            { type: "Complete", status: "True" },
          ],
        },
        { ownerReferences: [jobOwner] },
      ),
      cells: [
        "nightly-29100000",
        "Complete",
        "1/1",
        "47s",
        "3d4h",
        "work",
        "busybox:1.37",
        "batch.kubernetes.io/job-name=nightly-29100000",
      ],
    },
    {
      name: "job failed, never completed: DURATION keeps growing",
      obj: job(
        "broken",
        { completions: 1, parallelism: 1, backoffLimit: 2 },
        {
          startTime: at(3 * HOUR + 20 * MIN),
          failed: 3,
          conditions: [
            { type: "FailureTarget", status: "True" },
            { type: "Failed", status: "True", reason: "BackoffLimitExceeded" },
          ],
        },
      ),
      cells: [
        "broken",
        "Failed",
        "0/1",
        "3h20m",
        "3d4h",
        "work",
        "busybox:1.37",
        "batch.kubernetes.io/job-name=broken",
      ],
    },
    {
      name: "work-queue job with parallelism, not started: empty DURATION",
      obj: job("queue", { parallelism: 4 }, {}),
      cells: ["queue", "Running", "0/1 of 4", "", "3d4h", "work", "busybox:1.37", "batch.kubernetes.io/job-name=queue"],
    },
    {
      name: "suspended job; a False Complete condition does not count",
      obj: job(
        "held",
        { completions: 2, parallelism: 2, suspend: true },
        {
          conditions: [
            { type: "Complete", status: "False" },
            { type: "Suspended", status: "True" },
          ],
        },
      ),
      cells: ["held", "Suspended", "0/2", "", "3d4h", "work", "busybox:1.37", "batch.kubernetes.io/job-name=held"],
    },
    {
      name: "job being deleted",
      obj: job("gone", { completions: 1, parallelism: 1 }, { startTime: at(90 * S) }, { deletionTimestamp: at(S) }),
      cells: ["gone", "Terminating", "0/1", "90s", "3d4h", "work", "busybox:1.37", "batch.kubernetes.io/job-name=gone"],
    },
    // CronJobs
    {
      name: "cronjob never scheduled: LAST SCHEDULE <none>, no time zone",
      obj: cronJob("nightly", {}, {}),
      cells: ["nightly", "0 3 * * *", "<none>", "False", 0, "<none>", "3d4h", "work", "busybox:1.37", "<none>"],
    },
    {
      name: "suspended cronjob with a time zone, active job and last schedule",
      obj: cronJob(
        "report",
        { schedule: "*/15 * * * *", timeZone: "Europe/Lisbon", suspend: true },
        { active: [{ kind: "Job", name: "report-1", namespace: "default" }], lastScheduleTime: at(7 * MIN) },
      ),
      cells: ["report", "*/15 * * * *", "Europe/Lisbon", "True", 1, "7m", "3d4h", "work", "busybox:1.37", "<none>"],
    },
    // ConfigMaps and Secrets
    {
      name: "configmap counts data and binaryData keys",
      obj: {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: meta("settings"),
        data: { "app.yaml": "x: 1", LOG_LEVEL: "debug" },
        binaryData: { "logo.png": "iVBORw0KGgo=" },
      },
      cells: ["settings", 3, "3d4h"],
    },
    {
      name: "empty configmap",
      obj: { apiVersion: "v1", kind: "ConfigMap", metadata: meta("empty") },
      cells: ["empty", 0, "3d4h"],
    },
    {
      name: "TLS secret: type and key count only",
      obj: {
        apiVersion: "v1",
        kind: "Secret",
        metadata: meta("web-tls"),
        type: "kubernetes.io/tls",
        data: { "tls.crt": "LS0tLS1CRUdJTg==", "tls.key": "LS0tLS1CRUdJTg==" },
      },
      cells: ["web-tls", "kubernetes.io/tls", 2, "3d4h"],
    },
    {
      name: "secret without a type is Opaque",
      obj: { apiVersion: "v1", kind: "Secret", metadata: meta("plain"), data: { password: "aHVudGVyMg==" } },
      cells: ["plain", "Opaque", 1, "3d4h"],
    },
    // PersistentVolumeClaims
    {
      name: "bound claim: capacity and access modes from status",
      obj: pvc(
        "data-db-0",
        { volumeName: "pvc-1234", storageClassName: "standard", volumeMode: "Filesystem" },
        { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "10Gi" } },
      ),
      cells: ["data-db-0", "Bound", "pvc-1234", "10Gi", "RWO", "standard", "<unset>", "3d4h", "Filesystem"],
    },
    {
      name: "pending claim: no capacity or access modes yet",
      obj: pvc("scratch", { storageClassName: "fast", volumeMode: "Block" }, { phase: "Pending" }),
      cells: ["scratch", "Pending", "", "", "", "fast", "<unset>", "3d4h", "Block"],
    },
    {
      name: "claim being deleted, all access modes in kubectl's order, canonical capacity, beta class annotation",
      obj: pvc(
        "shared",
        {
          volumeName: "pv-nfs",
          accessModes: ["ReadWriteMany", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteOnce"],
          storageClassName: "ignored",
          volumeAttributesClassName: "gold",
          volumeMode: "Filesystem",
        },
        {
          phase: "Bound",
          accessModes: ["ReadWriteMany", "ReadWriteOncePod", "ReadOnlyMany", "ReadWriteOnce", "ReadWriteMany"],
          capacity: { storage: "1.5Gi" },
        },
        {
          deletionTimestamp: at(S),
          annotations: { "volume.beta.kubernetes.io/storage-class": "nfs" },
        },
      ),
      cells: ["shared", "Terminating", "pv-nfs", "1536Mi", "RWO,ROX,RWX,RWOP", "nfs", "gold", "3d4h", "Filesystem"],
    },
    // PersistentVolumes
    {
      name: "bound volume",
      obj: pv(
        "pvc-1234",
        {
          capacity: { storage: "10Gi" },
          accessModes: ["ReadWriteOnce"],
          persistentVolumeReclaimPolicy: "Delete",
          storageClassName: "standard",
          volumeMode: "Filesystem",
          claimRef: { kind: "PersistentVolumeClaim", namespace: "default", name: "data-db-0" },
        },
        { phase: "Bound" },
      ),
      cells: [
        "pvc-1234",
        "10Gi",
        "RWO",
        "Delete",
        "Bound",
        "default/data-db-0",
        "standard",
        "<unset>",
        "",
        "3d4h",
        "Filesystem",
      ],
    },
    {
      name: "failed released volume with a reason",
      obj: pv(
        "pv-old",
        {
          capacity: { storage: "500Gi" },
          accessModes: ["ReadOnlyMany", "ReadWriteMany"],
          persistentVolumeReclaimPolicy: "Recycle",
          volumeMode: "Block",
          claimRef: { namespace: "team-a", name: "archive" },
        },
        { phase: "Failed", reason: "VolumeFailedRecycle" },
      ),
      cells: [
        "pv-old",
        "500Gi",
        "ROX,RWX",
        "Recycle",
        "Failed",
        "team-a/archive",
        "",
        "<unset>",
        "VolumeFailedRecycle",
        "3d4h",
        "Block",
      ],
    },
    // Ingresses
    {
      name: "ingress without hosts or TLS: * and 80",
      obj: ingress("catch-all", { rules: [rule()] }),
      cells: ["catch-all", "<none>", "*", "", "80", "3d4h"],
    },
    {
      name: "ingress with TLS and load-balancer addresses sorted, de-duplicated, IP before hostname",
      obj: ingress(
        "web",
        {
          ingressClassName: "nginx",
          rules: [rule("web.example.com"), rule("api.example.com")],
          tls: [{ hosts: ["web.example.com"] }],
        },
        {
          loadBalancer: {
            ingress: [
              { ip: "203.0.113.9" },
              { hostname: "lb.example.net" },
              { ip: "198.51.100.4", hostname: "x" },
              { ip: "203.0.113.9" },
            ],
          },
        },
      ),
      cells: [
        "web",
        "nginx",
        "web.example.com,api.example.com",
        "198.51.100.4,203.0.113.9,lb.example.net",
        "80, 443",
        "3d4h",
      ],
    },
    {
      name: "ingress with five rules, one without a host: three hosts + 2 more",
      obj: ingress("many", {
        ingressClassName: "traefik",
        rules: [rule("a.example.com"), rule(), rule("b.example.com"), rule("c.example.com"), rule("d.example.com")],
      }),
      cells: ["many", "traefik", "a.example.com,b.example.com,c.example.com + 2 more...", "", "80", "3d4h"],
    },
    // Events
    {
      name: "event with count, firstTimestamp and lastTimestamp",
      obj: event("web-1.17f3a", { firstTimestamp: at(2 * HOUR), lastTimestamp: at(40 * S), count: 27 }),
      cells: [
        "web-1.17f3a",
        "40s",
        "Warning",
        "BackOff",
        "pod/web-1",
        "spec.containers{web}",
        "kubelet, node-1",
        "Back-off restarting failed container web",
        "120m",
        27,
      ],
    },
    {
      name: "event written through events.k8s.io: eventTime, series, reporting controller",
      obj: event("web-1.17f3b", {
        eventTime: at(31 * MIN).replace("Z", ".123456Z"),
        series: { count: 4, lastObservedTime: at(3 * MIN).replace("Z", ".000001Z") },
        reportingComponent: "default-scheduler",
        reportingInstance: "default-scheduler-cp-1",
        source: {},
        type: "Normal",
        reason: "Scheduled",
        message: "Successfully assigned default/web-1 to node-1",
        involvedObject: { kind: "Pod", namespace: "default", name: "web-1" },
      }),
      cells: [
        "web-1.17f3b",
        "3m",
        "Normal",
        "Scheduled",
        "pod/web-1",
        "",
        "default-scheduler, default-scheduler-cp-1",
        "Successfully assigned default/web-1 to node-1",
        "30m",
        4,
      ],
    },
    {
      name: "singleton event without count or lastTimestamp, about a kind without a name",
      obj: event("cluster.1", {
        firstTimestamp: at(12 * MIN),
        involvedObject: { kind: "Node" },
        source: { component: "kube-proxy" },
        type: "Normal",
        reason: "Starting",
        message: "  ",
      }),
      cells: ["cluster.1", "12m", "Normal", "Starting", "node", "", "kube-proxy", "", "12m", 1],
    },
    // HorizontalPodAutoscalers
    {
      name: "HPA before the first metrics: <unknown>/80%",
      obj: hpa("web", { minReplicas: 2, metrics: [cpu({ type: "Utilization", averageUtilization: 80 })] }, {}),
      cells: ["web", "Deployment/web", "cpu: <unknown>/80%", "2", 10, 0, "3d4h"],
    },
    {
      name: "HPA with three metrics: two shown, + 1 more...",
      obj: hpa(
        "api",
        {
          minReplicas: 3,
          maxReplicas: 30,
          metrics: [
            cpu({ type: "Utilization", averageUtilization: 80 }),
            {
              type: "Resource",
              resource: { name: "memory", target: { type: "AverageValue", averageValue: "1536Mi" } },
            },
            { type: "Pods", pods: { metric: { name: "rps" }, target: { type: "AverageValue", averageValue: "100" } } },
          ],
        },
        {
          currentReplicas: 4,
          desiredReplicas: 4,
          currentMetrics: [
            cpuNow({ averageUtilization: 50, averageValue: "250m" }),
            { type: "Resource", resource: { name: "memory", current: { averageValue: "1Gi" } } },
            { type: "Pods", pods: { metric: { name: "rps" }, current: { averageValue: "80" } } },
          ],
        },
      ),
      cells: ["api", "Deployment/web", "cpu: 50%/80%, memory: 1Gi/1536Mi + 1 more...", "3", 30, 4, "3d4h"],
    },
    {
      name: "HPA on pods, object (avg) and external metrics with partial status",
      obj: hpa(
        "queue",
        {
          metrics: [
            { type: "Pods", pods: { metric: { name: "lag" }, target: { type: "AverageValue", averageValue: "1k" } } },
            {
              type: "Object",
              object: {
                metric: { name: "hits" },
                describedObject: { kind: "Service", name: "web" },
                target: { type: "AverageValue", averageValue: "500m" },
              },
            },
          ],
        },
        {
          currentMetrics: [{ type: "Pods", pods: { metric: { name: "lag" }, current: { averageValue: "1500" } } }],
        },
      ),
      cells: ["queue", "Deployment/web", "1500/1k, <unknown>/500m (avg)", "1", 10, 0, "3d4h"],
    },
    {
      name: "HPA without metrics gets the API default, 80% CPU",
      obj: hpa("defaulted", {}, { currentReplicas: 1 }),
      cells: ["defaulted", "Deployment/web", "cpu: <unknown>/80%", "1", 10, 1, "3d4h"],
    },
    // ServiceAccounts, Roles, ClusterRoles
    {
      name: "service account",
      obj: { apiVersion: "v1", kind: "ServiceAccount", metadata: meta("builder") },
      cells: ["builder", "3d4h"],
    },
    {
      name: "role: default Table, CREATED AT in RFC 3339",
      obj: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: meta("reader"), rules: [] },
      cells: ["reader", created],
    },
    {
      name: "cluster role",
      obj: { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: clusterMeta("admin") },
      cells: ["admin", created],
    },
    // RoleBindings and ClusterRoleBindings
    {
      name: "role binding with users, groups and service accounts (wide)",
      obj: binding("RoleBinding", "readers", { kind: "ClusterRole", name: "view" }, [
        { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice@example.com" },
        { kind: "ServiceAccount", name: "builder", namespace: "ci" },
        { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "devs" },
        { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "bob" },
        { kind: "ServiceAccount", name: "default", namespace: "default" },
      ]),
      cells: ["readers", "ClusterRole/view", "3d4h", "alice@example.com, bob", "devs", "ci/builder, default/default"],
    },
    {
      name: "cluster role binding with a group only",
      obj: binding("ClusterRoleBinding", "system:basic-user", { kind: "ClusterRole", name: "system:basic-user" }, [
        { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:authenticated" },
      ]),
      cells: ["system:basic-user", "ClusterRole/system:basic-user", "3d4h", "", "system:authenticated", ""],
    },
    // NetworkPolicies
    {
      name: "network policy selecting pods",
      obj: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: meta("web-ingress"),
        spec: {
          podSelector: {
            matchLabels: { app: "web" },
            matchExpressions: [{ key: "tier", operator: "In", values: ["fe", "be"] }],
          },
          policyTypes: ["Ingress"],
        },
      },
      cells: ["web-ingress", "app=web,tier in (be,fe)", "3d4h"],
    },
    {
      name: "network policy with the empty selector: <none>",
      obj: {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: meta("deny-all"),
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      },
      cells: ["deny-all", "<none>", "3d4h"],
    },
    // EndpointSlices
    {
      name: "endpoint slice with two addresses",
      obj: slice("web-abcde", [{ name: "http", port: 8080, protocol: "TCP" }], [["10.0.0.5"], ["10.0.0.6"]]),
      cells: ["web-abcde", "IPv4", "8080", "10.0.0.5,10.0.0.6", "3d4h"],
    },
    {
      name: "endpoint slice with five addresses and four ports: + N more...",
      obj: slice(
        "web-fghij",
        [{ name: "http", port: 80 }, { name: "https", port: 443 }, { name: "metrics" }, { port: 9090 }],
        [["10.0.0.1", "10.0.0.2"], ["10.0.0.3"], ["10.0.0.4", "10.0.0.5"]],
      ),
      cells: ["web-fghij", "IPv4", "80,443,metrics + 1 more...", "10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...", "3d4h"],
    },
    {
      name: "endpoint slice without ports or endpoints: <unset>",
      obj: slice("web-empty", [], []),
      cells: ["web-empty", "IPv4", "<unset>", "<unset>", "3d4h"],
    },
    // StorageClasses (the NAME cell's "(default)" is not part of the row cells; see storageClassDisplayName)
    {
      name: "storage class with the defaults",
      obj: {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: clusterMeta("slow"),
        provisioner: "kubernetes.io/no-provisioner",
      },
      cells: ["slow", "kubernetes.io/no-provisioner", "Delete", "Immediate", "false", "3d4h"],
    },
    {
      name: "storage class with reclaim policy, binding mode and expansion",
      obj: {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: clusterMeta("fast"),
        provisioner: "ebs.csi.aws.com",
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        parameters: { type: "gp3" },
      },
      cells: ["fast", "ebs.csi.aws.com", "Retain", "WaitForFirstConsumer", "true", "3d4h"],
    },
    // CustomResourceDefinitions
    {
      name: "established CRD with served versions sorted, storage marked, one not served",
      obj: {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: clusterMeta("certificates.cert-manager.io"),
        spec: {
          group: "cert-manager.io",
          scope: "Namespaced",
          names: { kind: "Certificate", plural: "certificates", shortNames: ["cert", "certs"] },
          versions: [
            { name: "v1", served: true, storage: true },
            { name: "v1alpha2", served: false, storage: false },
            { name: "v1beta1", served: true, storage: false },
          ],
        },
        status: {
          conditions: [
            { type: "NamesAccepted", status: "True" },
            { type: "Established", status: "True" },
          ],
        },
      },
      cells: [
        "certificates.cert-manager.io",
        "Namespaced",
        "v1(storage),v1beta1",
        created,
        "cert-manager.io",
        "Certificate",
        "cert,certs",
        "true",
      ],
    },
    {
      name: "CRD not yet established, without short names",
      obj: {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: clusterMeta("widgets.example.com"),
        spec: {
          group: "example.com",
          scope: "Cluster",
          names: { kind: "Widget", plural: "widgets" },
          versions: [{ name: "v1", served: true, storage: true }],
        },
      },
      cells: ["widgets.example.com", "Cluster", "v1(storage)", created, "example.com", "Widget", "", "false"],
    },
  ];
}
