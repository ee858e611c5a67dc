// kubectl describe persistentvolumeclaim: class (the beta annotation first), phase or how long it has been
// terminating, capacity and access modes once bound, data source, the pods using it, conditions, events.
process.env.TZ = "UTC";

import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../../../src/kube/objects.ts";
import {
  accessModesText,
  persistentVolumeClaimDescriber,
} from "../../../../src/resources/describe/persistentvolumeclaims.ts";
import type { DescribeInput } from "../../../../src/resources/describe/types.ts";

const NOW = Date.parse("2026-03-10T12:00:00Z");

const pod = (name: string, uid: string, claims: string[]): KubeObject => ({
  metadata: { name, namespace: "db", uid },
  spec: {
    containers: [{ name: "c", image: "i" }],
    volumes: [
      { name: "scratch", emptyDir: {} },
      ...claims.map((c) => ({ name: c, persistentVolumeClaim: { claimName: c } })),
    ],
  },
});

const bound: KubeObject = {
  metadata: {
    name: "data-db-0",
    namespace: "db",
    uid: "u-claim",
    labels: { app: "db" },
    annotations: {
      "pv.kubernetes.io/bind-completed": "yes",
      "volume.kubernetes.io/storage-provisioner": "ebs.csi.aws.com",
    },
    finalizers: ["kubernetes.io/pvc-protection"],
    ownerReferences: [{ apiVersion: "v1", kind: "Pod", name: "owner-pod", uid: "u-owner" }],
  } as KubeObject["metadata"],
  spec: {
    accessModes: ["ReadWriteOnce"],
    resources: { requests: { storage: "10Gi" } },
    storageClassName: "gp3",
    volumeName: "pvc-0b7c",
    volumeMode: "Filesystem",
  },
  status: {
    phase: "Bound",
    accessModes: ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
    capacity: { storage: "10240Mi" },
    conditions: [
      {
        type: "FileSystemResizePending",
        status: "True",
        lastTransitionTime: "2026-03-09T08:30:00Z",
        message: "Waiting for user to (re-)start a pod to finish file system resize of volume on node.",
      },
    ],
  },
};

test("related: the namespace's pods", () => {
  assert.deepEqual(persistentVolumeClaimDescriber.related?.(bound), { pods: "/api/v1/namespaces/db/pods" });
});

test("access modes in kubectl's order, each once", () => {
  assert.equal(accessModesText(["ReadWriteOncePod", "ReadOnlyMany", "ReadWriteOnce", "ReadOnlyMany"]), "RWO,ROX,RWOP");
  assert.equal(accessModesText([]), "");
});

const CASES: { name: string; input: DescribeInput; want: string[] }[] = [
  {
    name: "a bound claim used by pods (a volume, an owner), with a condition",
    input: {
      object: bound,
      events: [],
      related: {
        pods: [
          pod("db-0", "u-db0", ["data-db-0"]),
          pod("other", "u-x", ["logs"]),
          pod("owner-pod", "u-owner", []),
          pod("backup", "u-b", ["data-db-0"]),
        ],
      },
      now: NOW,
    },
    want: [
      "Name:          data-db-0",
      "Namespace:     db",
      "StorageClass:  gp3",
      "Status:        Bound",
      "Volume:        pvc-0b7c",
      "Labels:        app=db",
      "Annotations:   pv.kubernetes.io/bind-completed: yes",
      "               volume.kubernetes.io/storage-provisioner: ebs.csi.aws.com",
      "Finalizers:    [kubernetes.io/pvc-protection]",
      "Capacity:      10Gi",
      "Access Modes:  RWO,RWX",
      "VolumeMode:    Filesystem",
      "Used By:       backup",
      "               db-0",
      "               owner-pod",
      "Conditions:",
      "  Type                      Status  LastProbeTime                     LastTransitionTime                Reason  Message",
      "  ----                      ------  -----------------                 ------------------                ------  -------",
      "  FileSystemResizePending   True    Mon, 01 Jan 0001 00:00:00 +0000   Mon, 09 Mar 2026 08:30:00 +0000           Waiting for user to (re-)start a pod to finish file system resize of volume on node.",
      "Events:                     <none>",
    ],
  },
  {
    name: "a pending claim from a snapshot, its class from the beta annotation, no pods",
    input: {
      object: {
        metadata: {
          name: "restore",
          namespace: "db",
          annotations: { "volume.beta.kubernetes.io/storage-class": "legacy" },
        },
        spec: {
          accessModes: ["ReadWriteOnce"],
          resources: { requests: { storage: "1500Mi" } },
          storageClassName: "gp3",
          dataSource: { apiGroup: "snapshot.storage.k8s.io", kind: "VolumeSnapshot", name: "snap-1" },
        },
        status: { phase: "Pending" },
      },
      events: [
        {
          type: "Normal",
          reason: "WaitForFirstConsumer",
          message: "waiting for first consumer to be created before binding",
          source: { component: "persistentvolume-controller" },
          count: 12,
          firstTimestamp: "2026-03-10T10:00:00Z",
          lastTimestamp: "2026-03-10T11:59:30Z",
        },
      ],
      related: { pods: [] },
      now: NOW,
    },
    want: [
      "Name:          restore",
      "Namespace:     db",
      "StorageClass:  legacy",
      "Status:        Pending",
      "Volume:        ",
      "Labels:        <none>",
      "Annotations:   volume.beta.kubernetes.io/storage-class: legacy",
      "Finalizers:    []",
      "Capacity:      ",
      "Access Modes:  ",
      "DataSource:",
      "  APIGroup:  snapshot.storage.k8s.io",
      "  Kind:      VolumeSnapshot",
      "  Name:      snap-1",
      "Used By:     <none>",
      "Events:",
      "  Type    Reason                Age                  From                         Message",
      "  ----    ------                ----                 ----                         -------",
      "  Normal  WaitForFirstConsumer  30s (x12 over 120m)  persistentvolume-controller  waiting for first consumer to be created before binding",
    ],
  },
  {
    name: "a terminating claim says for how long",
    input: {
      object: {
        metadata: { name: "old", namespace: "db", deletionTimestamp: "2026-03-10T11:45:00Z" },
        spec: { storageClassName: "" },
        status: { phase: "Bound" },
      },
      events: [],
      related: {},
      now: NOW,
    },
    want: [
      "Name:          old",
      "Namespace:     db",
      "StorageClass:  ",
      "Status:        Terminating (lasts 15m)",
      "Volume:        ",
      "Labels:        <none>",
      "Annotations:   <none>",
      "Finalizers:    []",
      "Capacity:      ",
      "Access Modes:  ",
      "Used By:       <none>",
      "Events:        <none>",
    ],
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const text = persistentVolumeClaimDescriber.describe(c.input);
    assert.equal(text, c.want.join("\n"));
  });
}
