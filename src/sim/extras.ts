// The rest of a realistic cluster around the generated workloads: Jobs and CronJobs, ConfigMaps, Secrets,
// ServiceAccounts, RBAC, PersistentVolumeClaims bound to PersistentVolumes, StorageClasses, Ingresses,
// NetworkPolicies, EndpointSlices, HorizontalPodAutoscalers, Events about the generated pods, and two demo CRDs with
// their custom resources. Counts stay small next to the pods (per namespace, or per workload with caps), so a
// 100k-pod cluster grows by a few percent. Its own random stream: the pods and workloads are the same with or
// without it.
import type { KubeObject } from "../kube/objects.ts";
import { type ClusterModel, type PodState, readyState, rfc3339, type Workload } from "./generate.ts";
import { Rng } from "./prng.ts";

type Json = Record<string, unknown>;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Most Events a generated cluster starts with, whatever its size. */
export const MAX_EVENTS = 3000;

/** Endpoints per EndpointSlice before the controller starts another (its --max-endpoints-per-slice default). */
const ENDPOINTS_PER_SLICE = 100;

/** The demo CRDs' group and resource keys in the store. */
export const DEMO_GROUP = "demo.timoneiro.dev";
export const WIDGETS = `widgets.${DEMO_GROUP}`;
export const CLUSTER_POLICIES = `clusterpolicies.${DEMO_GROUP}`;

/** What the extras need of one generated pod. */
export interface PodInfo {
  name: string;
  uid: string;
  ip: string;
  node: string;
  state: PodState;
  createdAt: number;
}

/** A store object to create: its store key ("configmaps", "widgets.demo.timoneiro.dev") and the object. */
export type Made = [string, KubeObject];

const b64 = (s: string) => Buffer.from(s).toString("base64");

export class ClusterExtras {
  private readonly model: ClusterModel;
  private readonly r: Rng;
  private readonly now: number;
  /** Chance that a pod in a failing state, or a healthy one, gets its events. */
  private readonly failingEventChance: number;
  private readonly healthyEventChance: number;
  private readonly zoneOf = new Map<string, string>();
  /** Per namespace: workloads given a ConfigMap / ServiceAccount / HPA so far (the per-namespace caps). */
  private readonly perNamespace = new Map<string, { configMaps: number; accounts: Set<string>; hpas: number }>();
  private readonly cronJobs = new Map<string, { uid: string; name: string }>();
  private ingressDone = new Set<string>();
  /** Keys ("namespace/name") of the Events made, oldest first: the churn trims from the front. */
  readonly eventKeys: string[] = [];
  /** Names ("namespace/name") of the Widgets made, for the churn's status changes. */
  readonly widgetKeys: string[] = [];

  constructor(model: ClusterModel, seed: number, pods: number) {
    this.model = model;
    this.r = new Rng(seed ^ 0x3e7a5);
    this.now = model.now;
    this.failingEventChance = Math.min(1, 2000 / Math.max(1, pods));
    this.healthyEventChance = Math.min(0.05, 200 / Math.max(1, pods));
    for (const n of model.nodes) this.zoneOf.set(n.name, n.zone);
  }

  private appNamespaces(): { name: string; createdAt: number }[] {
    return this.model.namespaces.filter((n) => !n.system);
  }

  private ns(name: string): { configMaps: number; accounts: Set<string>; hpas: number } {
    let v = this.perNamespace.get(name);
    if (!v) {
      v = { configMaps: 0, accounts: new Set(), hpas: 0 };
      this.perNamespace.set(name, v);
    }
    return v;
  }

  private meta(name: string, namespace: string | undefined, createdAt: number, extra: Json = {}): Json {
    return {
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      uid: this.r.uuid(),
      resourceVersion: "0",
      creationTimestamp: rfc3339(createdAt),
      ...extra,
    };
  }

  private obj(apiVersion: string, kind: string, metadata: Json, rest: Json): KubeObject {
    return { apiVersion, kind, metadata: metadata as KubeObject["metadata"], ...rest } as KubeObject;
  }

  // ---- cluster-wide and per-namespace objects, made before the workloads ----

  /** StorageClasses, CRDs and their objects, cluster RBAC, and per namespace: ConfigMaps, Secrets, the default
   * ServiceAccount, Roles, RoleBindings, NetworkPolicies and the CronJobs of the planned Jobs. */
  clusterObjects(): Made[] {
    const out: Made[] = [];
    const start = Math.min(...this.model.namespaces.map((n) => n.createdAt));
    out.push(...this.storageClasses(start));
    out.push(...this.crds(start));
    out.push(...this.clusterRbac(start));
    for (const n of this.model.namespaces) out.push(...this.namespaceObjects(n.name, n.createdAt, n.system));
    out.push(...this.cronJobObjects());
    out.push(...this.customResources());
    return out;
  }

  private storageClasses(at: number): Made[] {
    const sc = (name: string, provisioner: string, binding: string, params: Json, isDefault: boolean): Made => [
      "storageclasses",
      this.obj(
        "storage.k8s.io/v1",
        "StorageClass",
        this.meta(name, undefined, at, {
          annotations: isDefault ? { "storageclass.kubernetes.io/is-default-class": "true" } : {},
        }),
        {
          provisioner,
          parameters: params,
          reclaimPolicy: "Delete",
          allowVolumeExpansion: provisioner !== "kubernetes.io/aws-ebs",
          volumeBindingMode: binding,
        },
      ),
    ];
    return [
      sc("efs-sc", "efs.csi.aws.com", "Immediate", { provisioningMode: "efs-ap", directoryPerms: "700" }, false),
      sc("gp2", "kubernetes.io/aws-ebs", "WaitForFirstConsumer", { type: "gp2", fsType: "ext4" }, false),
      sc("gp3", "ebs.csi.aws.com", "WaitForFirstConsumer", { type: "gp3", encrypted: "true" }, true),
      sc("io2", "ebs.csi.aws.com", "WaitForFirstConsumer", { type: "io2", iopsPerGB: "50" }, false),
    ];
  }

  private crd(
    plural: string,
    kind: string,
    scope: "Namespaced" | "Cluster",
    shortNames: string[],
    columns: Json[],
    properties: Json,
    at: number,
  ): Made {
    const names = { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List`, shortNames };
    return [
      "customresourcedefinitions",
      this.obj(
        "apiextensions.k8s.io/v1",
        "CustomResourceDefinition",
        this.meta(`${plural}.${DEMO_GROUP}`, undefined, at, { generation: 1 }),
        {
          spec: {
            group: DEMO_GROUP,
            names,
            scope,
            versions: [
              {
                name: "v1",
                served: true,
                storage: true,
                schema: { openAPIV3Schema: { type: "object", properties } },
                subresources: { status: {} },
                additionalPrinterColumns: columns,
              },
            ],
            conversion: { strategy: "None" },
          },
          status: {
            conditions: [
              {
                type: "NamesAccepted",
                status: "True",
                lastTransitionTime: rfc3339(at),
                reason: "NoConflicts",
                message: "no conflicts found",
              },
              {
                type: "Established",
                status: "True",
                lastTransitionTime: rfc3339(at),
                reason: "InitialNamesAccepted",
                message: "the initial names have been accepted",
              },
            ],
            acceptedNames: names,
            storedVersions: ["v1"],
          },
        },
      ),
    ];
  }

  private crds(clusterStart: number): Made[] {
    const at = clusterStart + 30 * DAY;
    const str = { type: "string" };
    return [
      this.crd(
        "widgets",
        "Widget",
        "Namespaced",
        ["wdg"],
        [
          { name: "Size", type: "integer", description: "How many parts the widget has.", jsonPath: ".spec.size" },
          { name: "Phase", type: "string", jsonPath: ".status.phase" },
          { name: "Ready", type: "string", priority: 1, jsonPath: ".status.ready" },
          { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
        ],
        {
          spec: { type: "object", properties: { size: { type: "integer" }, color: str, owner: str } },
          status: { type: "object", properties: { phase: str, ready: str } },
        },
        at,
      ),
      this.crd(
        "clusterpolicies",
        "ClusterPolicy",
        "Cluster",
        ["cpol"],
        [
          { name: "Action", type: "string", jsonPath: ".spec.action" },
          { name: "Enforced", type: "boolean", jsonPath: ".spec.enforced" },
          { name: "Violations", type: "integer", jsonPath: ".status.violations" },
          { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
        ],
        {
          spec: {
            type: "object",
            properties: { action: str, enforced: { type: "boolean" }, rules: { type: "array" } },
          },
          status: { type: "object", properties: { violations: { type: "integer" } } },
        },
        at,
      ),
    ];
  }

  private customResources(): Made[] {
    const r = this.r;
    const out: Made[] = [];
    const apps = this.appNamespaces();
    const phases = ["Ready", "Ready", "Ready", "Provisioning", "Degraded", "Pending"];
    const colors = ["red", "green", "blue", "amber", "violet"];
    for (let i = 0; i < 30; i++) {
      const ns = apps[i % apps.length]!;
      const name = `${r.pick(colors)}-${r.pick(["gear", "sprocket", "flange", "rotor", "valve"])}-${r.suffix(4)}`;
      const size = r.int(1, 10);
      const created = Math.max(ns.createdAt, this.now - r.int(1, 90 * 24 * 60) * MIN);
      const widget: Json = { spec: { size, color: r.pick(colors), owner: `team-${ns.name}` } };
      // A few were just created: their controller has not written a status yet (empty PHASE and READY cells).
      if (i % 7 !== 3) {
        const phase = r.pick(phases);
        widget.status = { phase, ready: `${phase === "Ready" ? size : r.int(0, size - 1)}/${size}` };
      }
      if (i % 11 === 5) delete (widget.spec as Json).size;
      out.push([
        WIDGETS,
        this.obj(`${DEMO_GROUP}/v1`, "Widget", this.meta(name, ns.name, created, { generation: 1 }), widget),
      ]);
      this.widgetKeys.push(`${ns.name}/${name}`);
    }
    const policies: [string, string][] = [
      ["require-labels", "audit"],
      ["disallow-privileged", "enforce"],
      ["restrict-image-registries", "enforce"],
      ["require-resource-limits", "audit"],
      ["disallow-latest-tag", "enforce"],
      ["require-probes", "audit"],
      ["restrict-host-path", "enforce"],
      ["require-network-policy", "warn"],
    ];
    for (const [name, action] of policies) {
      const status = name === "require-network-policy" ? {} : { status: { violations: r.int(0, 40) } };
      out.push([
        CLUSTER_POLICIES,
        this.obj(`${DEMO_GROUP}/v1`, "ClusterPolicy", this.meta(name, undefined, this.now - r.int(2, 200) * DAY), {
          spec: {
            action,
            enforced: action === "enforce",
            rules: [{ name: `${name}-rule`, match: { kinds: ["Pod"] } }],
          },
          ...status,
        }),
      ]);
    }
    return out;
  }

  private clusterRbac(at: number): Made[] {
    const out: Made[] = [];
    const role = (name: string, rules: Json[], extra: Json = {}, labels: Record<string, string> = {}) =>
      out.push([
        "clusterroles",
        this.obj(
          "rbac.authorization.k8s.io/v1",
          "ClusterRole",
          this.meta(name, undefined, at, {
            labels: { "kubernetes.io/bootstrapping": "rbac-defaults", ...labels },
            annotations: { "rbac.authorization.kubernetes.io/autoupdate": "true" },
          }),
          { ...extra, rules },
        ),
      ]);
    const all = { apiGroups: ["*"], resources: ["*"], verbs: ["*"] };
    const read = ["get", "list", "watch"];
    role("cluster-admin", [all, { nonResourceURLs: ["*"], verbs: ["*"] }]);
    for (const name of ["admin", "edit", "view"]) {
      role(
        name,
        [],
        {
          aggregationRule: {
            clusterRoleSelectors: [{ matchLabels: { [`rbac.authorization.k8s.io/aggregate-to-${name}`]: "true" } }],
          },
        },
        { "kubernetes.io/bootstrapping": "rbac-defaults" },
      );
    }
    role("system:node", [
      {
        apiGroups: [""],
        resources: ["nodes", "nodes/status", "pods", "pods/status"],
        verbs: [...read, "patch", "update"],
      },
    ]);
    role("system:kube-scheduler", [
      { apiGroups: [""], resources: ["pods", "nodes", "bindings"], verbs: [...read, "create"] },
    ]);
    role("system:kube-dns", [{ apiGroups: [""], resources: ["endpoints", "services"], verbs: ["list", "watch"] }]);
    role("system:node-proxier", [
      { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
    ]);
    role("system:controller:job-controller", [
      { apiGroups: ["batch"], resources: ["jobs", "jobs/status"], verbs: [...read, "update", "patch"] },
    ]);
    role("system:controller:endpointslice-controller", [
      {
        apiGroups: ["discovery.k8s.io"],
        resources: ["endpointslices"],
        verbs: [...read, "create", "update", "delete"],
      },
    ]);
    role("aws-node", [{ apiGroups: [""], resources: ["pods", "nodes", "namespaces"], verbs: read }]);
    role("prometheus", [
      { apiGroups: [""], resources: ["nodes", "nodes/metrics", "services", "endpoints", "pods"], verbs: read },
      { nonResourceURLs: ["/metrics"], verbs: ["get"] },
    ]);
    role("fluent-bit", [{ apiGroups: [""], resources: ["namespaces", "pods"], verbs: read }]);
    const bind = (name: string, roleName: string, subjects: Json[]) =>
      out.push([
        "clusterrolebindings",
        this.obj(
          "rbac.authorization.k8s.io/v1",
          "ClusterRoleBinding",
          this.meta(name, undefined, at, { labels: { "kubernetes.io/bootstrapping": "rbac-defaults" } }),
          { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName }, subjects },
        ),
      ]);
    const group = (name: string) => ({ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name });
    const sa = (namespace: string, name: string) => ({ kind: "ServiceAccount", name, namespace });
    bind("cluster-admin", "cluster-admin", [group("system:masters")]);
    bind("system:node", "system:node", [group("system:nodes")]);
    bind("system:kube-scheduler", "system:kube-scheduler", [
      { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "system:kube-scheduler" },
    ]);
    bind("system:kube-dns", "system:kube-dns", [sa("kube-system", "coredns")]);
    bind("system:node-proxier", "system:node-proxier", [sa("kube-system", "kube-proxy")]);
    bind("aws-node", "aws-node", [sa("kube-system", "aws-node")]);
    bind("prometheus", "prometheus", [sa("monitoring", "prometheus")]);
    bind("fluent-bit", "fluent-bit", [sa("monitoring", "fluent-bit")]);
    return out;
  }

  private namespaceObjects(ns: string, createdAt: number, system: boolean): Made[] {
    const r = this.r;
    const out: Made[] = [];
    const at = createdAt + r.int(1, 60) * 1000;
    out.push([
      "configmaps",
      this.obj(
        "v1",
        "ConfigMap",
        this.meta("kube-root-ca.crt", ns, at, {
          annotations: {
            "kubernetes.io/description":
              "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
          },
        }),
        {
          data: { "ca.crt": `-----BEGIN CERTIFICATE-----\n${r.hex(64)}\n-----END CERTIFICATE-----\n` },
        },
      ),
    ]);
    out.push(["serviceaccounts", this.obj("v1", "ServiceAccount", this.meta("default", ns, at), {})]);
    this.ns(ns).accounts.add("default");
    out.push([
      "secrets",
      this.obj(
        "v1",
        "Secret",
        this.meta(`default-token-${r.suffix(5)}`, ns, at, {
          annotations: {
            "kubernetes.io/service-account.name": "default",
            "kubernetes.io/service-account.uid": r.uuid(),
          },
        }),
        {
          type: "kubernetes.io/service-account-token",
          data: { "ca.crt": b64(r.hex(48)), namespace: b64(ns), token: b64(`eyJhbGciOiJSUzI1NiJ9.${r.hex(40)}`) },
        },
      ),
    ]);
    if (system) {
      if (ns === "kube-system") {
        for (const name of ["coredns", "kube-proxy", "aws-node"]) {
          out.push(["serviceaccounts", this.obj("v1", "ServiceAccount", this.meta(name, ns, at), {})]);
          this.ns(ns).accounts.add(name);
        }
        out.push([
          "configmaps",
          this.obj("v1", "ConfigMap", this.meta("coredns", ns, at), {
            data: {
              Corefile:
                ".:53 {\n    errors\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . /etc/resolv.conf\n    cache 30\n}\n",
            },
          }),
        ]);
      }
      if (ns === "monitoring") {
        for (const name of ["prometheus", "fluent-bit", "node-exporter"]) {
          out.push(["serviceaccounts", this.obj("v1", "ServiceAccount", this.meta(name, ns, at), {})]);
          this.ns(ns).accounts.add(name);
        }
      }
      return out;
    }
    out.push([
      "secrets",
      this.obj("v1", "Secret", this.meta("regcred", ns, at), {
        type: "kubernetes.io/dockerconfigjson",
        data: {
          ".dockerconfigjson": b64(
            JSON.stringify({
              auths: { "123456789012.dkr.ecr.eu-west-1.amazonaws.com": { auth: b64(`AWS:${r.hex(24)}`) } },
            }),
          ),
        },
      }),
    ]);
    out.push([
      "secrets",
      this.obj(
        "v1",
        "Secret",
        this.meta(`${ns}-tls`, ns, at, { annotations: { "cert-manager.io/issuer-name": "letsencrypt" } }),
        {
          type: "kubernetes.io/tls",
          data: {
            "tls.crt": b64(`-----BEGIN CERTIFICATE-----\n${r.hex(64)}\n-----END CERTIFICATE-----\n`),
            "tls.key": b64(`-----BEGIN PRIVATE KEY-----\n${r.hex(64)}\n-----END PRIVATE KEY-----\n`),
          },
        },
      ),
    ]);
    out.push([
      "secrets",
      this.obj("v1", "Secret", this.meta(`${ns}-db-credentials`, ns, at), {
        type: "Opaque",
        data: { username: b64(ns.replace(/-/g, "_")), password: b64(r.hex(20)), host: b64(`${ns}-postgres.${ns}.svc`) },
      }),
    ]);
    const rbac = "rbac.authorization.k8s.io/v1";
    out.push([
      "roles",
      this.obj(rbac, "Role", this.meta(`${ns}-developer`, ns, at), {
        rules: [
          {
            apiGroups: [""],
            resources: ["pods", "pods/log", "services", "configmaps"],
            verbs: ["get", "list", "watch"],
          },
          { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: ["get", "list", "watch", "patch"] },
        ],
      }),
    ]);
    out.push([
      "roles",
      this.obj(rbac, "Role", this.meta("leader-election", ns, at), {
        rules: [{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"] }],
      }),
    ]);
    out.push([
      "rolebindings",
      this.obj(rbac, "RoleBinding", this.meta(`${ns}-developers`, ns, at), {
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `${ns}-developer` },
        subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: `${ns}-developers` }],
      }),
    ]);
    out.push([
      "rolebindings",
      this.obj(rbac, "RoleBinding", this.meta(`${ns}-view`, ns, at), {
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
        subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "sre" }],
      }),
    ]);
    const net = "networking.k8s.io/v1";
    out.push([
      "networkpolicies",
      this.obj(net, "NetworkPolicy", this.meta("default-deny-ingress", ns, at), {
        spec: { podSelector: {}, policyTypes: ["Ingress"] },
      }),
    ]);
    out.push([
      "networkpolicies",
      this.obj(net, "NetworkPolicy", this.meta("allow-from-ingress-and-monitoring", ns, at), {
        spec: {
          podSelector: {},
          ingress: [
            {
              from: [
                { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
                { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } },
                { podSelector: {} },
              ],
            },
          ],
          policyTypes: ["Ingress"],
        },
      }),
    ]);
    return out;
  }

  /** Jobs are named `<cronjob>-<scheduled minute>`: most of those bases become CronJobs owning their Jobs. */
  private cronJobObjects(): Made[] {
    const r = this.r;
    const out: Made[] = [];
    for (const w of this.model.workloads) {
      if (w.kind !== "Job") continue;
      const base = cronJobName(w.name);
      const key = `${w.namespace}/${base}`;
      if (this.cronJobs.has(key) || !base || r.chance(0.2)) continue;
      const uid = r.uuid();
      this.cronJobs.set(key, { uid, name: base });
      const schedule = r.pick(["*/15 * * * *", "0 * * * *", "0 2 * * *", "30 3 * * 0", "*/5 * * * *"]);
      const last = this.now - r.int(1, 60) * MIN;
      out.push([
        "cronjobs",
        this.obj(
          "batch/v1",
          "CronJob",
          this.meta(base, w.namespace, w.createdAt - r.int(1, 90) * DAY, { uid, labels: { app: base }, generation: 1 }),
          {
            spec: {
              schedule,
              concurrencyPolicy: "Forbid",
              suspend: r.chance(0.05),
              jobTemplate: { metadata: { creationTimestamp: null }, spec: this.jobSpec(w, false) },
              successfulJobsHistoryLimit: 3,
              failedJobsHistoryLimit: 1,
            },
            status: { lastScheduleTime: rfc3339(last), lastSuccessfulTime: rfc3339(last + r.int(10, 300) * 1000) },
          },
        ),
      ]);
    }
    return out;
  }

  private jobSpec(w: Workload, withSelector: boolean): Json {
    const c = w.app.containers[0]!;
    return {
      parallelism: 1,
      completions: 1,
      backoffLimit: 0,
      ...(withSelector
        ? { selector: { matchLabels: { "batch.kubernetes.io/controller-uid": w.uid } }, manualSelector: false }
        : {}),
      completionMode: "NonIndexed",
      suspend: false,
      podReplacementPolicy: "TerminatingOrFailed",
      template: {
        metadata: {
          labels: {
            ...w.labels,
            ...(withSelector ? { "batch.kubernetes.io/job-name": w.name, "job-name": w.name } : {}),
          },
        },
        spec: {
          containers: [{ name: c.name, image: c.image, resources: { requests: { cpu: c.cpu, memory: c.memory } } }],
          restartPolicy: "Never",
          serviceAccountName: w.serviceAccount,
        },
      },
    };
  }

  // ---- per workload, once its pods are made ----

  /** What goes with one workload: its Job, ConfigMap, ServiceAccount, PVCs and PVs, EndpointSlices, HPA, Ingress
   * and Events. `serviceName` is the Service populate made for it, if any. */
  workloadObjects(w: Workload, pods: PodInfo[], serviceName: string | undefined): Made[] {
    const r = this.r;
    const out: Made[] = [];
    const per = this.ns(w.namespace);
    if (w.kind === "Job") out.push(this.job(w, pods));
    if (w.kind !== "Job" && w.kind !== "DaemonSet" && per.configMaps < 2) {
      per.configMaps++;
      out.push([
        "configmaps",
        this.obj(
          "v1",
          "ConfigMap",
          this.meta(`${w.name}-config`, w.namespace, w.createdAt, { labels: { ...w.labels } }),
          {
            data: {
              "application.yaml": `server:\n  port: 8080\nlogging:\n  level: ${r.pick(["info", "debug", "warn"])}\n`,
              LOG_FORMAT: "json",
            },
          },
        ),
      ]);
    }
    if (!per.accounts.has(w.serviceAccount) && per.accounts.size < 6) {
      per.accounts.add(w.serviceAccount);
      out.push([
        "serviceaccounts",
        this.obj(
          "v1",
          "ServiceAccount",
          this.meta(w.serviceAccount, w.namespace, w.createdAt, { labels: { ...w.labels } }),
          {
            ...(r.chance(0.5) ? { imagePullSecrets: [{ name: "regcred" }] } : {}),
          },
        ),
      ]);
    }
    if (w.kind === "StatefulSet") out.push(...this.volumes(w, pods));
    if (serviceName) out.push(...this.endpointSlices(w, pods, serviceName));
    if (w.kind === "Deployment" && w.replicas >= 2 && per.hpas < 4 && r.chance(0.3)) {
      per.hpas++;
      out.push(this.hpa(w, pods));
    }
    if (w.kind === "Deployment" && serviceName && !this.ingressDone.has(w.namespace) && !this.isSystem(w.namespace)) {
      this.ingressDone.add(w.namespace);
      out.push(this.ingress(w, serviceName));
    }
    out.push(...this.events(w, pods));
    return out;
  }

  private isSystem(ns: string): boolean {
    return this.model.namespaces.find((n) => n.name === ns)?.system ?? false;
  }

  private job(w: Workload, pods: PodInfo[]): Made {
    const r = this.r;
    const ok = pods.every((p) => p.state === "Completed");
    const start = pods[0]?.createdAt ?? w.createdAt;
    const end = start + r.int(10, 600) * 1000;
    const cron = this.cronJobs.get(`${w.namespace}/${cronJobName(w.name)}`);
    const labels = {
      ...w.labels,
      "batch.kubernetes.io/controller-uid": w.uid,
      "batch.kubernetes.io/job-name": w.name,
      "controller-uid": w.uid,
      "job-name": w.name,
    };
    const metadata: Json = {
      name: w.name,
      namespace: w.namespace,
      uid: w.uid,
      resourceVersion: "0",
      generation: 1,
      creationTimestamp: rfc3339(w.createdAt),
      labels,
      annotations: { "batch.kubernetes.io/job-tracking": "" },
    };
    if (cron) {
      metadata.ownerReferences = [
        {
          apiVersion: "batch/v1",
          kind: "CronJob",
          name: cron.name,
          uid: cron.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ];
    }
    const cond = (type: string, reason: string, message: string) => ({
      type,
      status: "True",
      lastProbeTime: rfc3339(end),
      lastTransitionTime: rfc3339(end),
      reason,
      message,
    });
    const status: Json = ok
      ? {
          conditions: [
            cond("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
            cond("Complete", "CompletionsReached", "Reached expected number of succeeded pods"),
          ],
          startTime: rfc3339(start),
          completionTime: rfc3339(end),
          succeeded: pods.length,
          terminating: 0,
          uncountedTerminatedPods: {},
          ready: 0,
        }
      : {
          conditions: [
            cond("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
            cond("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
          ],
          startTime: rfc3339(start),
          failed: pods.length,
          terminating: 0,
          uncountedTerminatedPods: {},
          ready: 0,
        };
    return ["jobs", this.obj("batch/v1", "Job", metadata, { spec: this.jobSpec(w, true), status })];
  }

  private volumes(w: Workload, pods: PodInfo[]): Made[] {
    const r = this.r;
    const out: Made[] = [];
    const size = r.pick(["8Gi", "20Gi", "50Gi", "100Gi"]);
    const sc = r.chance(0.8) ? "gp3" : "gp2";
    for (const p of pods) {
      const claim = `data-${p.name}`;
      const pv = `pvc-${r.uuid()}`;
      const pvcUid = pv.slice(4);
      const zone = this.zoneOf.get(p.node) ?? "eu-west-1a";
      const at = rfc3339(w.createdAt);
      out.push([
        "persistentvolumeclaims",
        this.obj(
          "v1",
          "PersistentVolumeClaim",
          {
            name: claim,
            namespace: w.namespace,
            uid: pvcUid,
            resourceVersion: "0",
            creationTimestamp: at,
            labels: { "app.kubernetes.io/name": w.name, "app.kubernetes.io/instance": w.name },
            annotations: {
              "pv.kubernetes.io/bind-completed": "yes",
              "pv.kubernetes.io/bound-by-controller": "yes",
              "volume.beta.kubernetes.io/storage-provisioner": "ebs.csi.aws.com",
              "volume.kubernetes.io/selected-node": p.node,
              "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com",
            },
            finalizers: ["kubernetes.io/pvc-protection"],
          },
          {
            spec: {
              accessModes: ["ReadWriteOnce"],
              resources: { requests: { storage: size } },
              storageClassName: sc,
              volumeMode: "Filesystem",
              volumeName: pv,
            },
            status: { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: size } },
          },
        ),
      ]);
      out.push([
        "persistentvolumes",
        this.obj(
          "v1",
          "PersistentVolume",
          {
            name: pv,
            uid: r.uuid(),
            resourceVersion: "0",
            creationTimestamp: at,
            annotations: {
              "pv.kubernetes.io/provisioned-by": "ebs.csi.aws.com",
              "volume.kubernetes.io/provisioner-deletion-secret-name": "",
            },
            finalizers: ["external-provisioner.volume.kubernetes.io/finalizer", "kubernetes.io/pv-protection"],
          },
          {
            spec: {
              accessModes: ["ReadWriteOnce"],
              capacity: { storage: size },
              claimRef: {
                apiVersion: "v1",
                kind: "PersistentVolumeClaim",
                name: claim,
                namespace: w.namespace,
                uid: pvcUid,
              },
              csi: { driver: "ebs.csi.aws.com", fsType: "ext4", volumeHandle: `vol-0${r.hex(16)}` },
              nodeAffinity: {
                required: {
                  nodeSelectorTerms: [
                    { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [zone] }] },
                  ],
                },
              },
              persistentVolumeReclaimPolicy: "Delete",
              storageClassName: sc,
              volumeMode: "Filesystem",
            },
            status: { phase: "Bound", lastPhaseTransitionTime: at },
          },
        ),
      ]);
    }
    return out;
  }

  /** One Pending claim: a WaitForFirstConsumer class and no pod using it yet. */
  pendingClaim(): Made[] {
    const ns = this.appNamespaces()[0];
    if (!ns) return [];
    const at = this.now - 42 * MIN;
    const name = `${ns.name}-scratch`;
    const meta = this.meta(name, ns.name, at, { finalizers: ["kubernetes.io/pvc-protection"] });
    return [
      [
        "persistentvolumeclaims",
        this.obj("v1", "PersistentVolumeClaim", meta, {
          spec: {
            accessModes: ["ReadWriteOnce"],
            resources: { requests: { storage: "200Gi" } },
            storageClassName: "io2",
            volumeMode: "Filesystem",
          },
          status: { phase: "Pending" },
        }),
      ],
      this.event(
        ns.name,
        { kind: "PersistentVolumeClaim", name, uid: meta.uid as string, apiVersion: "v1" },
        "Normal",
        "WaitForFirstConsumer",
        "waiting for first consumer to be created before binding",
        "persistentvolume-controller",
        undefined,
        at,
        this.now - 10_000,
        170,
      ),
    ];
  }

  private endpointSlices(w: Workload, pods: PodInfo[], serviceName: string): Made[] {
    const r = this.r;
    const port = w.app.containers[0]!.port ?? 80;
    const endpoints: Json[] = [];
    for (const p of pods) {
      if (!p.ip || p.state === "Completed" || p.state === "Error" || p.state === "Evicted") continue;
      const terminating = p.state === "Terminating";
      const ready = readyState(p.state) && !terminating;
      endpoints.push({
        addresses: [p.ip],
        conditions: { ready, serving: ready || (terminating && readyState(p.state)), terminating },
        ...(w.kind === "StatefulSet" ? { hostname: p.name } : {}),
        nodeName: p.node,
        targetRef: { kind: "Pod", namespace: w.namespace, name: p.name, uid: p.uid },
        zone: this.zoneOf.get(p.node) ?? "eu-west-1a",
      });
    }
    const out: Made[] = [];
    for (let i = 0; i === 0 || i < endpoints.length; i += ENDPOINTS_PER_SLICE) {
      out.push([
        "endpointslices",
        this.obj(
          "discovery.k8s.io/v1",
          "EndpointSlice",
          this.meta(`${serviceName}-${r.suffix(5)}`, w.namespace, w.createdAt, {
            generateName: `${serviceName}-`,
            generation: 1,
            labels: {
              ...w.labels,
              "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
              "kubernetes.io/service-name": serviceName,
            },
            annotations: {
              "endpoints.kubernetes.io/last-change-trigger-time": rfc3339(this.now - r.int(1, 3600) * 1000),
            },
            ownerReferences: [
              {
                apiVersion: "v1",
                kind: "Service",
                name: serviceName,
                uid: r.uuid(),
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          }),
          {
            addressType: "IPv4",
            endpoints: endpoints.slice(i, i + ENDPOINTS_PER_SLICE),
            ports: [{ name: "http", port, protocol: "TCP" }],
          },
        ),
      ]);
    }
    return out;
  }

  private hpa(w: Workload, pods: PodInfo[]): Made {
    const r = this.r;
    const min = Math.max(1, Math.floor(w.replicas / 2));
    const max = w.replicas * r.pick([2, 3, 4]);
    const target = r.pick([60, 70, 75, 80]);
    const current = r.int(20, 110);
    return [
      "horizontalpodautoscalers",
      this.obj(
        "autoscaling/v2",
        "HorizontalPodAutoscaler",
        this.meta(w.name, w.namespace, w.createdAt, { labels: { ...w.labels } }),
        {
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: w.name },
            minReplicas: min,
            maxReplicas: max,
            metrics: [
              {
                type: "Resource",
                resource: { name: "cpu", target: { type: "Utilization", averageUtilization: target } },
              },
            ],
          },
          status: {
            lastScaleTime: rfc3339(this.now - r.int(5, 3000) * MIN),
            currentReplicas: pods.length,
            desiredReplicas: w.replicas,
            currentMetrics: [
              {
                type: "Resource",
                resource: { name: "cpu", current: { averageUtilization: current, averageValue: `${r.int(10, 900)}m` } },
              },
            ],
            conditions: [
              {
                type: "AbleToScale",
                status: "True",
                lastTransitionTime: rfc3339(w.createdAt),
                reason: "ReadyForNewScale",
                message: "recommended size matches current size",
              },
              {
                type: "ScalingActive",
                status: "True",
                lastTransitionTime: rfc3339(w.createdAt),
                reason: "ValidMetricFound",
                message:
                  "the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)",
              },
              {
                type: "ScalingLimited",
                status: "False",
                lastTransitionTime: rfc3339(w.createdAt),
                reason: "DesiredWithinRange",
                message: "the desired count is within the acceptable range",
              },
            ],
          },
        },
      ),
    ];
  }

  private ingress(w: Workload, serviceName: string): Made {
    const r = this.r;
    const port = w.app.containers[0]!.port ?? 80;
    const host = `${w.name}.${w.namespace}.example.com`;
    return [
      "ingresses",
      this.obj(
        "networking.k8s.io/v1",
        "Ingress",
        this.meta(w.name, w.namespace, w.createdAt, {
          generation: 1,
          annotations: {
            "cert-manager.io/cluster-issuer": "letsencrypt",
            "nginx.ingress.kubernetes.io/proxy-body-size": "8m",
          },
        }),
        {
          spec: {
            ingressClassName: "nginx",
            tls: [{ hosts: [host], secretName: `${w.namespace}-tls` }],
            rules: [
              {
                host,
                http: {
                  paths: [
                    {
                      path: "/",
                      pathType: "Prefix",
                      backend: { service: { name: serviceName, port: { number: port === 8080 ? 80 : port } } },
                    },
                  ],
                },
              },
            ],
          },
          status: {
            loadBalancer: { ingress: [{ hostname: `k8s-ingressn-${r.hex(10)}.elb.eu-west-1.amazonaws.com` }] },
          },
        },
      ),
    ];
  }

  // ---- Events ----

  private events(w: Workload, pods: PodInfo[]): Made[] {
    const r = this.r;
    const out: Made[] = [];
    if (w.kind === "Deployment" && r.chance(this.healthyEventChance * 4)) {
      const t = this.now - r.int(2, 55) * MIN;
      out.push(
        this.event(
          w.namespace,
          { kind: "Deployment", name: w.name, uid: w.uid, apiVersion: "apps/v1" },
          "Normal",
          "ScalingReplicaSet",
          `Scaled up replica set ${w.ownerName} from 0 to ${w.replicas}`,
          "deployment-controller",
          undefined,
          t,
          t,
          1,
        ),
      );
    }
    for (const p of pods) {
      if (this.eventKeys.length >= MAX_EVENTS) break;
      const failing = !readyState(p.state) && p.state !== "Completed";
      if (!r.chance(failing ? this.failingEventChance : this.healthyEventChance)) continue;
      out.push(...this.podEvents(w, p));
    }
    return out;
  }

  /** The events a pod in its state shows in `kubectl describe`, within the last hour (the API server's event TTL). */
  podEvents(w: Workload, p: PodInfo, now = this.now): Made[] {
    const r = this.r;
    const c = w.app.containers[0]!;
    const ref = { kind: "Pod", name: p.name, uid: p.uid, apiVersion: "v1" };
    const field = { ...ref, fieldPath: `spec.containers{${c.name}}` };
    const t0 = Math.max(p.createdAt, now - r.int(5, 55) * MIN);
    const ev = (
      type: string,
      reason: string,
      message: string,
      component: string,
      first: number,
      last: number,
      count: number,
      withField = true,
    ) =>
      this.event(
        w.namespace,
        withField ? field : ref,
        type,
        reason,
        message,
        component,
        component === "kubelet" ? p.node : undefined,
        first,
        last,
        count,
      );
    const out: Made[] = [];
    if (p.state === "Pending") {
      const n = this.model.nodes.length;
      out.push(
        ev(
          "Warning",
          "FailedScheduling",
          `0/${n} nodes are available: ${Math.ceil(n / 3)} Insufficient cpu, ${n - Math.ceil(n / 3)} node(s) didn't match pod anti-affinity rules. preemption: 0/${n} nodes are available: ${n} No preemption victims found for incoming pod.`,
          "default-scheduler",
          t0,
          now - r.int(5, 120) * 1000,
          r.int(2, 30),
          false,
        ),
      );
      return out;
    }
    out.push(
      ev(
        "Normal",
        "Scheduled",
        `Successfully assigned ${w.namespace}/${p.name} to ${p.node}`,
        "default-scheduler",
        t0,
        t0,
        1,
        false,
      ),
    );
    switch (p.state) {
      case "ImagePullBackOff":
      case "ErrImagePull":
        out.push(
          ev("Normal", "Pulling", `Pulling image "${c.image}"`, "kubelet", t0 + 2000, now - 30_000, r.int(3, 9)),
        );
        out.push(
          ev(
            "Warning",
            "Failed",
            `Failed to pull image "${c.image}": rpc error: code = NotFound desc = failed to pull and unpack image "${c.image}": not found`,
            "kubelet",
            t0 + 4000,
            now - 30_000,
            r.int(3, 9),
          ),
        );
        out.push(
          ev(
            "Warning",
            "BackOff",
            `Back-off pulling image "${c.image}"`,
            "kubelet",
            t0 + 6000,
            now - r.int(1, 30) * 1000,
            r.int(10, 80),
          ),
        );
        return out;
      case "ContainerCreating":
        return out;
      case "Evicted":
        out.push(
          ev(
            "Warning",
            "Evicted",
            "The node was low on resource: memory. Threshold quantity: 100Mi, available: 92160Ki.",
            "kubelet",
            now - r.int(10, 50) * MIN,
            now - 5 * MIN,
            1,
            false,
          ),
        );
        return out;
    }
    const restarts = p.state === "CrashLoopBackOff" || p.state === "OOMKilled" ? r.int(3, 40) : 1;
    const last = restarts > 1 ? now - r.int(10, 300) * 1000 : t0 + 3000;
    out.push(
      ev(
        "Normal",
        "Pulled",
        `Container image "${c.image}" already present on machine`,
        "kubelet",
        t0 + 2000,
        last,
        restarts,
      ),
    );
    out.push(ev("Normal", "Created", `Created container ${c.name}`, "kubelet", t0 + 2500, last, restarts));
    out.push(ev("Normal", "Started", `Started container ${c.name}`, "kubelet", t0 + 3000, last, restarts));
    if (p.state === "CrashLoopBackOff" || p.state === "OOMKilled") {
      out.push(
        ev(
          "Warning",
          "BackOff",
          `Back-off restarting failed container ${c.name} in pod ${p.name}_${w.namespace}(${p.uid})`,
          "kubelet",
          t0 + 60_000,
          now - r.int(1, 60) * 1000,
          r.int(20, 400),
        ),
      );
    } else if (p.state === "NotReady") {
      out.push(
        ev(
          "Warning",
          "Unhealthy",
          "Readiness probe failed: HTTP probe failed with statuscode: 503",
          "kubelet",
          t0 + 30_000,
          now - r.int(1, 30) * 1000,
          r.int(5, 300),
        ),
      );
    } else if (p.state === "Terminating") {
      out.push(
        ev("Normal", "Killing", `Stopping container ${c.name}`, "kubelet", now - r.int(1, 10) * MIN, now - 30_000, 1),
      );
    }
    return out;
  }

  /** A core v1 Event about `involved`, named like the recorder names them (`<object>.<hex nanoseconds>`). */
  event(
    namespace: string,
    involved: { kind: string; name: string; uid: string; apiVersion: string; fieldPath?: string },
    type: string,
    reason: string,
    message: string,
    component: string,
    host: string | undefined,
    first: number,
    last: number,
    count: number,
  ): Made {
    const r = this.r;
    const nanos = BigInt(first) * 1_000_000n + BigInt(r.int(0, 999_999));
    const name = `${involved.name}.${nanos.toString(16)}`;
    const e = this.obj(
      "v1",
      "Event",
      { name, namespace, uid: r.uuid(), resourceVersion: "0", creationTimestamp: rfc3339(first) },
      {
        involvedObject: { ...involved, namespace },
        reason,
        message,
        source: host ? { component, host } : { component },
        firstTimestamp: rfc3339(first),
        lastTimestamp: rfc3339(last),
        count,
        type,
        eventTime: null,
        reportingComponent: component,
        reportingInstance: host ?? "",
      },
    );
    this.eventKeys.push(`${namespace}/${name}`);
    return ["events", e];
  }
}

/** `payments-report-28912345` or `payments-report-28912345-2` → `payments-report`. */
export function cronJobName(jobName: string): string {
  return jobName.replace(/-\d{8}(-\d+)?$/, "");
}
