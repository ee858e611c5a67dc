// The kinds beyond the workloads (jobs ... customresourcedefinitions): rows against the server-side Table rows
// kube-apiserver prints for them (builtin-kind-cases.ts), names kubectl accepts, column shapes, owners, and the rules
// that do not fit a row of cells (a secret's values never kept, a storage class's "(default)").
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  builtinKindOrThrow,
  resourceDefFor,
  tableCells,
  tableColumnDefinitions,
} from "../../../src/resources/index.ts";
import { canonicalQuantity } from "../../../src/resources/quantity.ts";
import { secretRow } from "../../../src/resources/secrets.ts";
import { storageClassDisplayName, storageClassRow } from "../../../src/resources/storageclasses.ts";
import type { ResourceType } from "../../../src/resources/types.ts";
import { builtinKindCases } from "./builtin-kind-cases.ts";

const NOW = Date.parse("2025-06-01T12:00:00Z");

describe("server-side Table rows of the built-in kinds", () => {
  for (const c of builtinKindCases(NOW)) {
    test(`${c.obj.kind}: ${c.name}`, () => {
      const def = resourceDefFor(c.obj.kind ?? "");
      assert.ok(def, c.obj.kind);
      const row = def.toRow(c.obj);
      // The cases list NAME first; the server prints an event's Name last (a wide column), as tableCells does.
      const expected = def.namePosition === "wide-last" ? [...c.cells.slice(1), c.cells[0]] : c.cells;
      assert.deepEqual(tableCells(def, row, NOW), expected);
      for (const [key, value] of Object.entries(row)) {
        assert.ok(value === null || typeof value !== "object", `${key} must not keep a sub-object`);
      }
    });
  }
});

describe("names kubectl accepts", () => {
  const names: [string, ResourceType][] = [
    ["jobs", "jobs"],
    ["job", "jobs"],
    ["jobs.batch", "jobs"],
    ["cj", "cronjobs"],
    ["cronjob.v1.batch", "cronjobs"],
    ["cm", "configmaps"],
    ["configmap", "configmaps"],
    ["secret", "secrets"],
    ["pvc", "persistentvolumeclaims"],
    ["pv", "persistentvolumes"],
    ["ing", "ingresses"],
    ["ingresses.networking.k8s.io", "ingresses"],
    ["ev", "events"],
    ["event", "events"],
    ["hpa", "horizontalpodautoscalers"],
    ["hpa.v2.autoscaling", "horizontalpodautoscalers"],
    ["sa", "serviceaccounts"],
    ["roles", "roles"],
    ["rolebinding", "rolebindings"],
    ["clusterrole", "clusterroles"],
    ["clusterrolebindings.rbac.authorization.k8s.io", "clusterrolebindings"],
    ["netpol", "networkpolicies"],
    ["endpointslice", "endpointslices"],
    ["sc", "storageclasses"],
    ["crd", "customresourcedefinitions"],
    ["crds", "customresourcedefinitions"],
    ["CustomResourceDefinition", "customresourcedefinitions"],
  ];
  for (const [name, type] of names) {
    test(`${JSON.stringify(name)} → ${type}`, () => assert.equal(resourceDefFor(name)?.type, type));
  }

  test("group, version and scope as kube-apiserver serves them", () => {
    const where = (type: ResourceType) => {
      const def = builtinKindOrThrow(type);
      return `${def.group || "core"}/${def.version} ${def.kind} ${def.namespaced ? "namespaced" : "cluster"}`;
    };
    assert.equal(where("jobs"), "batch/v1 Job namespaced");
    assert.equal(where("cronjobs"), "batch/v1 CronJob namespaced");
    assert.equal(where("events"), "core/v1 Event namespaced");
    assert.equal(where("horizontalpodautoscalers"), "autoscaling/v2 HorizontalPodAutoscaler namespaced");
    assert.equal(where("ingresses"), "networking.k8s.io/v1 Ingress namespaced");
    assert.equal(where("endpointslices"), "discovery.k8s.io/v1 EndpointSlice namespaced");
    assert.equal(where("persistentvolumes"), "core/v1 PersistentVolume cluster");
    assert.equal(where("clusterrolebindings"), "rbac.authorization.k8s.io/v1 ClusterRoleBinding cluster");
    assert.equal(where("storageclasses"), "storage.k8s.io/v1 StorageClass cluster");
    assert.equal(where("customresourcedefinitions"), "apiextensions.k8s.io/v1 CustomResourceDefinition cluster");
  });
});

describe("column names, types and priorities (* = wide)", () => {
  const shape = (type: ResourceType) =>
    tableColumnDefinitions(builtinKindOrThrow(type))
      .filter((c) => c.format !== "name")
      .map((c) => `${c.name}:${c.type}${c.priority ? "*" : ""}`)
      .join(" ");
  const shapes: [ResourceType, string][] = [
    [
      "jobs",
      "Status:string Completions:string Duration:string Age:string Containers:string* Images:string* Selector:string*",
    ],
    [
      "cronjobs",
      "Schedule:string Timezone:string Suspend:boolean Active:integer Last Schedule:string Age:string " +
        "Containers:string* Images:string* Selector:string*",
    ],
    ["configmaps", "Data:string Age:string"],
    ["secrets", "Type:string Data:string Age:string"],
    [
      "persistentvolumeclaims",
      "Status:string Volume:string Capacity:string Access Modes:string StorageClass:string " +
        "VolumeAttributesClass:string Age:string VolumeMode:string*",
    ],
    [
      "persistentvolumes",
      "Capacity:string Access Modes:string Reclaim Policy:string Status:string Claim:string StorageClass:string " +
        "VolumeAttributesClass:string Reason:string Age:string VolumeMode:string*",
    ],
    ["ingresses", "Class:string Hosts:string Address:string Ports:string Age:string"],
    [
      "events",
      "Last Seen:string Type:string Reason:string Object:string Subobject:string* Source:string* Message:string " +
        "First Seen:string* Count:string*",
    ],
    [
      "horizontalpodautoscalers",
      "Reference:string Targets:string MinPods:string MaxPods:string Replicas:string Age:string",
    ],
    ["serviceaccounts", "Age:string"],
    ["roles", "Created At:date"],
    ["clusterroles", "Created At:date"],
    ["rolebindings", "Role:string Age:string Users:string* Groups:string* ServiceAccounts:string*"],
    ["clusterrolebindings", "Role:string Age:string Users:string* Groups:string* ServiceAccounts:string*"],
    ["networkpolicies", "Pod-Selector:string Age:string"],
    ["endpointslices", "AddressType:string Ports:string Endpoints:string Age:string"],
    [
      "storageclasses",
      "Provisioner:string ReclaimPolicy:string VolumeBindingMode:string AllowVolumeExpansion:string Age:string",
    ],
    [
      "customresourcedefinitions",
      "Scope:string Versions:string Created At:date Group:string* Kind:string* ShortNames:string* Established:boolean*",
    ],
  ];
  for (const [type, expected] of shapes) test(type, () => assert.equal(shape(type), expected));

  test("every column has a description", () => {
    for (const [type] of shapes) {
      for (const c of tableColumnDefinitions(builtinKindOrThrow(type))) {
        assert.ok(c.description.length > 0, `${type} ${c.name}`);
      }
    }
  });
});

describe("owners", () => {
  test("a job made by a cronjob names it as its controller owner", () => {
    const row = builtinKindOrThrow("jobs").toRow({
      metadata: {
        name: "nightly-1",
        namespace: "default",
        ownerReferences: [
          { kind: "Other", name: "x" },
          { kind: "CronJob", name: "nightly", controller: true },
        ],
      },
    });
    assert.equal((row as unknown as { ownerKind: string }).ownerKind, "CronJob");
    assert.equal((row as unknown as { ownerName: string }).ownerName, "nightly");
  });

  test("an endpoint slice names its service; objects without a controller have empty owner fields", () => {
    const c = builtinKindCases(NOW).find((k) => k.obj.kind === "EndpointSlice");
    assert.ok(c);
    const slice = builtinKindOrThrow("endpointslices").toRow(c.obj) as unknown as Record<string, unknown>;
    assert.deepEqual([slice.ownerKind, slice.ownerName], ["Service", "web"]);
    const cm = builtinKindOrThrow("configmaps").toRow({
      metadata: { name: "c", ownerReferences: [{ kind: "Deployment", name: "d" }] },
    }) as unknown as Record<string, unknown>;
    assert.deepEqual([cm.ownerKind, cm.ownerName], ["", ""]);
  });
});

describe("secrets never keep their values", () => {
  test("neither data nor stringData reaches the row", () => {
    const row = secretRow({
      metadata: { name: "s", namespace: "default" },
      type: "Opaque",
      data: { password: "aHVudGVyMg==" },
      stringData: { token: "plain-text-token" },
    });
    const text = JSON.stringify(row);
    assert.ok(!text.includes("aHVudGVyMg=="), text);
    assert.ok(!text.includes("plain-text-token"), text);
    assert.ok(!text.includes("password"), text);
    assert.equal(row.dataCount, 1);
  });
});

describe("storage class NAME", () => {
  const named = (annotations: Record<string, string> | undefined) =>
    storageClassDisplayName(storageClassRow({ metadata: { name: "standard", annotations }, provisioner: "p" }));
  test('the default class prints "(default)" after its name', () => {
    assert.equal(named({ "storageclass.kubernetes.io/is-default-class": "true" }), "standard (default)");
    assert.equal(named({ "storageclass.beta.kubernetes.io/is-default-class": "true" }), "standard (default)");
  });
  test("any other value, or no annotation, is not the default", () => {
    assert.equal(named({ "storageclass.kubernetes.io/is-default-class": "True" }), "standard");
    assert.equal(named({ "storageclass.kubernetes.io/is-default-class": "false" }), "standard");
    assert.equal(named(undefined), "standard");
  });
  test("the row's name stays the object's name (it is the cache key)", () => {
    const row = storageClassRow({
      metadata: { name: "standard", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    });
    assert.equal(row.name, "standard");
  });
});

describe("canonical quantities (resource.Quantity.String)", () => {
  const cases: [string, string][] = [
    ["10Gi", "10Gi"],
    ["1.5Gi", "1536Mi"],
    ["2048Mi", "2Gi"],
    ["0.5Ki", "512"],
    ["1000M", "1G"],
    ["1500M", "1500M"],
    ["1000", "1k"],
    ["1536", "1536"],
    ["0.5", "500m"],
    ["0.1", "100m"],
    ["250m", "250m"],
    ["1e3", "1e3"],
    ["1.0000000001", "1000000001n"],
    ["0", "0"],
    ["0Gi", "0"],
    ["-1Gi", "-1Gi"],
    ["12Q", "12Q"],
  ];
  for (const [input, expected] of cases) {
    test(`${input} → ${expected}`, () => assert.equal(canonicalQuantity(input), expected));
  }
});
