// `kubectl describe persistentvolumeclaim`, from kubectl's describePersistentVolumeClaim: class, phase (or how long
// it has been terminating), volume, capacity and access modes once bound, data source, the pods using it (by a
// volume or as its owner), the conditions table, and the events.
import type { KubeObject } from "../../kube/objects.ts";
import { humanDuration, parseTime } from "../format.ts";
import { quantityText } from "../quantity.ts";
import { describeEvents } from "./events.ts";
import { goList, meta, writeList } from "./kit.ts";
import type { Describer } from "./types.ts";
import { annotationsMultiline, arr, byteOrder, DescribeWriter, labelsMultiline, obj, rfc1123z, str } from "./writer.ts";

/** storageutil.GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each once. */
export function accessModesText(modes: readonly unknown[]): string {
  const have = new Set(modes.map(str));
  const out: string[] = [];
  if (have.has("ReadWriteOnce")) out.push("RWO");
  if (have.has("ReadOnlyMany")) out.push("ROX");
  if (have.has("ReadWriteMany")) out.push("RWX");
  if (have.has("ReadWriteOncePod")) out.push("RWOP");
  return out.join(",");
}

/** getPodsForPVC: the pods with a volume of the claim (once a volume), then the owner pods not among them. */
function podsUsing(claim: KubeObject, pods: readonly KubeObject[]): string[] {
  const name = str(claim.metadata?.name);
  const using: KubeObject[] = [];
  for (const pod of pods) {
    for (const volume of arr(obj(pod.spec).volumes)) {
      const source = obj(volume).persistentVolumeClaim;
      if (source !== undefined && source !== null && str(obj(source).claimName) === name) using.push(pod);
    }
  }
  for (const ref of claim.metadata?.ownerReferences ?? []) {
    if (ref.kind !== "Pod") continue;
    const owner = pods.find((p) => p.metadata?.uid === ref.uid);
    if (owner === undefined || using.some((p) => p.metadata?.uid === owner.metadata?.uid)) continue;
    using.push(owner);
  }
  return using.map((p) => str(p.metadata?.name)).sort(byteOrder);
}

export const persistentVolumeClaimDescriber: Describer = {
  related(object) {
    return { pods: `/api/v1/namespaces/${encodeURIComponent(meta(object).namespace)}/pods` };
  },

  describe({ object, events, related, now }) {
    const m = meta(object);
    const spec = obj(object.spec);
    const status = obj(object.status);
    const w = new DescribeWriter();
    w.write(0, `Name:\t${m.name}\n`);
    w.write(0, `Namespace:\t${m.namespace}\n`);
    const betaClass = m.annotations["volume.beta.kubernetes.io/storage-class"];
    const storageClass = betaClass !== undefined ? str(betaClass) : str(spec.storageClassName);
    w.write(0, `StorageClass:\t${storageClass}\n`);
    const deletion = object.metadata?.deletionTimestamp;
    if (deletion !== undefined && deletion !== null) {
      const at = parseTime(deletion);
      w.write(0, `Status:\tTerminating (lasts ${at === 0 ? "<unknown>" : humanDuration(now - at)})\n`);
    } else {
      w.write(0, `Status:\t${str(status.phase)}\n`);
    }
    const volume = str(spec.volumeName);
    w.write(0, `Volume:\t${volume}\n`);
    labelsMultiline(w, "Labels", m.labels);
    annotationsMultiline(w, "Annotations", m.annotations);
    w.write(0, `Finalizers:\t${goList(arr(obj(object.metadata).finalizers))}\n`);
    const bound = volume !== "";
    w.write(0, `Capacity:\t${bound ? quantityText(obj(status.capacity).storage) : ""}\n`);
    w.write(0, `Access Modes:\t${bound ? accessModesText(arr(status.accessModes)) : ""}\n`);
    if (typeof spec.volumeMode === "string") w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
    if (spec.dataSource !== undefined && spec.dataSource !== null) {
      const source = obj(spec.dataSource);
      w.write(0, "DataSource:\n");
      if (typeof source.apiGroup === "string") w.write(1, `APIGroup:\t${source.apiGroup}\n`);
      w.write(1, `Kind:\t${str(source.kind)}\n`);
      w.write(1, `Name:\t${str(source.name)}\n`);
    }
    const pods = related.pods;
    writeList(w, "Used By", podsUsing(object, Array.isArray(pods) ? (pods as KubeObject[]) : []));
    const conditions = arr(status.conditions).map(obj);
    if (conditions.length > 0) {
      w.write(0, "Conditions:\n");
      w.write(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n");
      w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
      for (const c of conditions) {
        w.write(
          1,
          `${str(c.type)} \t${str(c.status)} \t${rfc1123z(c.lastProbeTime)} \t${rfc1123z(c.lastTransitionTime)} \t${str(c.reason)} \t${str(c.message)}\n`,
        );
      }
    }
    describeEvents(events, w, now);
    return w.toString();
  },
};
