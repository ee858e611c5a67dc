// The pieces of a pod's description that workloads share (kubectl's describeContainers, describeVolumes,
// DescribePodTemplate, tolerations, topology spread constraints): a pod prints them with its statuses, a template
// without.
import {
  annotationsMultiline,
  arr,
  byteOrder,
  type DescribeWriter,
  goBool,
  intOrString,
  isObj,
  labelsMultiline,
  num,
  obj,
  orNone,
  rfc1123z,
  selectorString,
  str,
} from "./writer.ts";

type Obj = Record<string, unknown>;

/** Resolves a fieldRef env var's value (a pod's describe only; a template has none). */
export type EnvResolver = (fieldPath: string) => string;

/**
 * kubectl's EnvValueRetriever: the field path goes through its scheme's field-label conversion first, and kubectl's
 * scheme has no conversion of its own for pods, so only metadata.name and metadata.namespace pass (the default
 * conversion); every other path (metadata.uid, labels, status.podIP, ...) prints as "".
 */
export function podEnvResolver(pod: Obj): EnvResolver {
  const meta = obj(pod.metadata);
  return (path) => {
    if (path === "metadata.name") return str(meta.name);
    if (path === "metadata.namespace") return str(meta.namespace);
    return "";
  };
}

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A quantity's value (approximate for exotic forms). */
export function quantityValue(q: unknown): number {
  const m = /^([+-]?[0-9.]+)(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/.exec(str(q));
  if (!m) return 0;
  const mult = SUFFIX[m[3] as string] ?? 1;
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * mult;
}

/** resourcehelper.ExtractContainerResourceValue: the resource divided by the divisor, rounded up. */
function containerResourceValue(ref: Obj, container: Obj): string {
  const resource = str(ref.resource);
  const [which, name] = resource.split(".", 2) as [string, string];
  const list = obj(obj(container.resources)[which === "limits" ? "limits" : "requests"]);
  const divisor = ref.divisor === undefined ? 1 : quantityValue(ref.divisor) || 1;
  const value = quantityValue(list[name]);
  return String(Math.ceil(value / divisor - 1e-9));
}

function describeResources(resources: unknown, w: DescribeWriter, level: number): void {
  const r = obj(resources);
  for (const which of ["limits", "requests"]) {
    const list = obj(r[which]);
    const names = Object.keys(list).sort(byteOrder);
    if (names.length > 0) w.write(level, `${which === "limits" ? "Limits" : "Requests"}:\n`);
    for (const n of names) w.write(level + 1, `${n}:\t${str(list[n])}\n`);
  }
}

export { describeResources };

/** kubectl's DescribeProbe. */
export function describeProbe(probe: Obj): string {
  const attrs = `delay=${num(probe.initialDelaySeconds)}s timeout=${num(probe.timeoutSeconds)}s period=${num(probe.periodSeconds)}s #success=${num(probe.successThreshold)} #failure=${num(probe.failureThreshold)}`;
  if (isObj(probe.exec)) return `exec [${arr(probe.exec.command).map(str).join(" ")}] ${attrs}`;
  if (isObj(probe.httpGet)) {
    const g = probe.httpGet;
    const scheme = str(g.scheme).toLowerCase();
    const port = intOrString(g.port);
    const host = str(g.host);
    const hostPort = port === "" ? host : `${host.includes(":") ? `[${host}]` : host}:${port}`;
    let path = str(g.path);
    if (path !== "" && !path.startsWith("/") && hostPort !== "") path = `/${path}`;
    const url = `${scheme === "" ? "" : `${scheme}:`}${hostPort !== "" || scheme !== "" ? `//${hostPort}` : ""}${path}`;
    return `http-get ${url} ${attrs}`;
  }
  if (isObj(probe.tcpSocket))
    return `tcp-socket ${str(probe.tcpSocket.host)}:${intOrString(probe.tcpSocket.port)} ${attrs}`;
  if (isObj(probe.grpc)) return `grpc <pod>:${num(probe.grpc.port)} ${str(probe.grpc.service)} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeState(name: string, state: unknown, w: DescribeWriter): void {
  const s = obj(state);
  if (isObj(s.running)) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(s.running.startedAt)}\n`);
  } else if (isObj(s.waiting)) {
    w.write(2, `${name}:\tWaiting\n`);
    if (str(s.waiting.reason) !== "") w.write(3, `Reason:\t${str(s.waiting.reason)}\n`);
  } else if (isObj(s.terminated)) {
    const t = s.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (str(t.reason) !== "") w.write(3, `Reason:\t${str(t.reason)}\n`);
    if (str(t.message) !== "") w.write(3, `Message:\t${str(t.message)}\n`);
    w.write(3, `Exit Code:\t${num(t.exitCode)}\n`);
    if (num(t.signal) > 0) w.write(3, `Signal:\t${num(t.signal)}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
  }
}

const optional = (ref: unknown): boolean => obj(ref).optional === true;

/** describeContainers: `space` is "" for a pod, "  " inside a pod template. */
export function describeContainers(
  label: string,
  containers: unknown,
  statuses: unknown,
  resolver: EnvResolver | null,
  w: DescribeWriter,
  space: string,
): void {
  const byName = new Map<string, Obj>();
  for (const s of arr(statuses)) byName.set(str(obj(s).name), obj(s));
  const list = arr(containers).map(obj);
  w.write(0, `${space}${label}:${list.length === 0 ? " <none>" : ""}\n`);
  for (const c of list) {
    const status = byName.get(str(c.name));
    w.write(1, `${space ? " " : ""}${str(c.name)}:\n`);
    if (status) w.write(2, `Container ID:\t${str(status.containerID)}\n`);
    w.write(2, `Image:\t${str(c.image)}\n`);
    if (status) w.write(2, `Image ID:\t${str(status.imageID)}\n`);
    const ports = arr(c.ports).map(obj);
    const portString = ports.map((p) => `${num(p.containerPort)}/${str(p.protocol)}`).join(", ");
    if (portString.includes(",")) w.write(2, `Ports:\t${portString}\n`);
    else w.write(2, `Port:\t${orNone(portString)}\n`);
    const hostPorts = ports.map((p) => `${num(p.hostPort)}/${str(p.protocol)}`).join(", ");
    if (hostPorts.includes(",")) w.write(2, `Host Ports:\t${hostPorts}\n`);
    else w.write(2, `Host Port:\t${orNone(hostPorts)}\n`);
    const seccomp = obj(obj(c.securityContext).seccompProfile);
    if (isObj(obj(c.securityContext).seccompProfile)) {
      w.write(2, `SeccompProfile:\t${str(seccomp.type)}\n`);
      if (seccomp.type === "Localhost") w.write(3, `LocalhostProfile:\t${str(seccomp.localhostProfile)}\n`);
    }
    for (const [field, title] of [
      ["command", "Command"],
      ["args", "Args"],
    ] as const) {
      const items = arr(c[field]);
      if (items.length === 0) continue;
      w.write(2, `${title}:\n`);
      for (const item of items) for (const s of str(item).split("\n")) w.write(3, `${s}\n`);
    }
    if (status) {
      describeState("State", status.state, w);
      if (isObj(obj(status.lastState).terminated)) describeState("Last State", status.lastState, w);
      w.write(2, `Ready:\t${goBool(status.ready)}\n`);
      w.write(2, `Restart Count:\t${num(status.restartCount)}\n`);
    }
    describeResources(c.resources, w, 2);
    for (const [field, title] of [
      ["livenessProbe", "Liveness"],
      ["readinessProbe", "Readiness"],
      ["startupProbe", "Startup"],
    ] as const) {
      if (isObj(c[field])) w.write(2, `${title}:\t${describeProbe(c[field] as Obj)}\n`);
    }
    const envFrom = arr(c.envFrom).map(obj);
    if (envFrom.length > 0) {
      w.write(2, "Environment Variables from:\n");
      for (const e of envFrom) {
        let from = "";
        let name = "";
        let opt = false;
        if (isObj(e.configMapRef)) {
          from = "ConfigMap";
          name = str(e.configMapRef.name);
          opt = optional(e.configMapRef);
        } else if (isObj(e.secretRef)) {
          from = "Secret";
          name = str(e.secretRef.name);
          opt = optional(e.secretRef);
        }
        const prefix = str(e.prefix);
        if (prefix === "") w.write(3, `${name}\t${from}\tOptional: ${opt}\n`);
        else w.write(3, `${name}\t${from} with prefix '${prefix}'\tOptional: ${opt}\n`);
      }
    }
    describeEnv(c, resolver, w);
    const mounts = arr(c.volumeMounts).map(obj);
    const none = mounts.length === 0 ? "\t<none>" : "";
    w.write(2, `Mounts:${none}\n`);
    for (const m of [...mounts].sort((a, b) => byteOrder(str(a.mountPath), str(b.mountPath)))) {
      const flags = [m.readOnly === true ? "ro" : "rw"];
      if (str(m.subPath) !== "") flags.push(`path=${JSON.stringify(str(m.subPath))}`);
      w.write(3, `${str(m.mountPath)} from ${str(m.name)} (${flags.join(",")})\n`);
    }
    const devices = arr(c.volumeDevices).map(obj);
    if (devices.length > 0) {
      w.write(2, `Devices:${none}\n`);
      for (const d of [...devices].sort((a, b) => byteOrder(str(a.devicePath), str(b.devicePath)))) {
        w.write(3, `${str(d.devicePath)} from ${str(d.name)}\n`);
      }
    }
  }
}

function describeEnv(c: Obj, resolver: EnvResolver | null, w: DescribeWriter): void {
  const env = arr(c.env).map(obj);
  w.write(2, `Environment:${env.length === 0 ? "\t<none>" : ""}\n`);
  for (const e of env) {
    const name = str(e.name);
    if (!isObj(e.valueFrom)) {
      str(e.value)
        .split("\n")
        .forEach((s, i) => {
          w.write(3, i === 0 ? `${name}:\t${s}\n` : `\t${s}\n`);
        });
      continue;
    }
    const from = e.valueFrom;
    if (isObj(from.fieldRef)) {
      const path = str(from.fieldRef.fieldPath);
      const value = resolver ? resolver(path) : "";
      w.write(3, `${name}:\t${value} (${str(from.fieldRef.apiVersion)}:${path})\n`);
    } else if (isObj(from.resourceFieldRef)) {
      const resource = str(from.resourceFieldRef.resource);
      let value = containerResourceValue(from.resourceFieldRef, c);
      if (value === "0" && (resource === "limits.cpu" || resource === "limits.memory")) value = "node allocatable";
      w.write(3, `${name}:\t${value} (${resource})\n`);
    } else if (isObj(from.secretKeyRef)) {
      const r = from.secretKeyRef;
      w.write(3, `${name}:\t<set to the key '${str(r.key)}' in secret '${str(r.name)}'>\tOptional: ${optional(r)}\n`);
    } else if (isObj(from.configMapKeyRef)) {
      const r = from.configMapKeyRef;
      w.write(
        3,
        `${name}:\t<set to the key '${str(r.key)}' of config map '${str(r.name)}'>\tOptional: ${optional(r)}\n`,
      );
    }
  }
}

const goPtrBool = (v: unknown): string => (typeof v === "boolean" ? String(v) : "<nil>");

/** describeVolumes: the common volume sources as kubectl prints them. */
export function describeVolumes(volumes: unknown, w: DescribeWriter, space: string): void {
  const list = arr(volumes).map(obj);
  if (list.length === 0) {
    w.write(0, `${space}Volumes:\t<none>\n`);
    return;
  }
  w.write(0, `${space}Volumes:\n`);
  for (const v of list) {
    w.write(1, `${space ? " " : ""}${str(v.name)}:\n`);
    if (isObj(v.hostPath)) {
      w.write(
        2,
        `Type:\tHostPath (bare host directory volume)\n    Path:\t${str(v.hostPath.path)}\n    HostPathType:\t${str(v.hostPath.type) || (v.hostPath.type === undefined ? "<none>" : "")}\n`,
      );
    } else if (isObj(v.emptyDir)) {
      const limit = v.emptyDir.sizeLimit !== undefined && quantityValue(v.emptyDir.sizeLimit) > 0;
      w.write(
        2,
        `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${str(v.emptyDir.medium)}\n    SizeLimit:\t${limit ? str(v.emptyDir.sizeLimit) : "<unset>"}\n`,
      );
    } else if (isObj(v.secret)) {
      w.write(
        2,
        `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${str(v.secret.secretName)}\n    Optional:\t${optional(v.secret)}\n`,
      );
    } else if (isObj(v.configMap)) {
      w.write(
        2,
        `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${str(v.configMap.name)}\n    Optional:\t${optional(v.configMap)}\n`,
      );
    } else if (isObj(v.nfs)) {
      w.write(
        2,
        `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${str(v.nfs.server)}\n    Path:\t${str(v.nfs.path)}\n    ReadOnly:\t${v.nfs.readOnly === true}\n`,
      );
    } else if (isObj(v.persistentVolumeClaim)) {
      w.write(
        2,
        `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${str(v.persistentVolumeClaim.claimName)}\n    ReadOnly:\t${v.persistentVolumeClaim.readOnly === true}\n`,
      );
    } else if (isObj(v.downwardAPI)) {
      w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
      for (const item of arr(v.downwardAPI.items).map(obj)) {
        if (isObj(item.fieldRef)) w.write(3, `${str(item.fieldRef.fieldPath)} -> ${str(item.path)}\n`);
        if (isObj(item.resourceFieldRef)) w.write(3, `${str(item.resourceFieldRef.resource)} -> ${str(item.path)}\n`);
      }
    } else if (isObj(v.projected)) {
      w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
      for (const source of arr(v.projected.sources).map(obj)) {
        if (isObj(source.secret)) {
          w.write(
            2,
            `SecretName:\t${str(source.secret.name)}\n    SecretOptionalName:\t${goPtrBool(source.secret.optional)}\n`,
          );
        } else if (isObj(source.downwardAPI)) {
          w.write(2, "DownwardAPI:\ttrue\n");
        } else if (isObj(source.configMap)) {
          w.write(
            2,
            `ConfigMapName:\t${str(source.configMap.name)}\n    ConfigMapOptional:\t${goPtrBool(source.configMap.optional)}\n`,
          );
        } else if (isObj(source.serviceAccountToken)) {
          w.write(2, `TokenExpirationSeconds:\t${num(source.serviceAccountToken.expirationSeconds)}\n`);
        }
      }
    } else if (isObj(v.csi)) {
      const attrs = obj(v.csi.volumeAttributes);
      w.write(
        2,
        `Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t${str(v.csi.driver)}\n    FSType:\t${str(v.csi.fsType)}\n    ReadOnly:\t${v.csi.readOnly === true}\n`,
      );
      csiAttributes(w, attrs);
    } else if (isObj(v.image)) {
      w.write(
        2,
        `Type:\tImage (a container image or OCI artifact)\n    Reference:\t${str(v.image.reference)}\n    PullPolicy:\t${str(v.image.pullPolicy)}\n`,
      );
    } else {
      w.write(1, "<unknown>\n");
    }
  }
}

/**
 * printCSIPersistentVolumeAttributesMultiline: every piece is its own Write at level 2, so each one gets the
 * level's indent (the first key after the tab, the next ones after the indent, the tab and the indent again).
 */
function csiAttributes(w: DescribeWriter, attrs: Obj): void {
  w.write(2, "VolumeAttributes:\t");
  const keys = Object.keys(attrs).sort(byteOrder);
  if (keys.length === 0) {
    w.write(2, "<none>\n");
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) {
      w.write(2, "");
      w.write(2, "\t");
    }
    w.write(2, `${key}=${str(attrs[key])}\n`);
  });
}

/** printTolerationsMultilineWithIndent, sorted by key (stable). */
export function tolerationsMultiline(w: DescribeWriter, title: string, tolerations: unknown): void {
  w.write(0, `${title}:\t`);
  const list = arr(tolerations).map(obj);
  if (list.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  const sorted = [...list].sort((a, b) => byteOrder(str(a.key), str(b.key)));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, "\t");
    let s = str(t.key);
    if (str(t.value) !== "") s += `=${str(t.value)}`;
    if (str(t.effect) !== "") s += `:${str(t.effect)}`;
    if (t.operator === "Exists" && str(t.value) === "") {
      s += str(t.key) !== "" || str(t.effect) !== "" ? " op=Exists" : "op=Exists";
    }
    if (typeof t.tolerationSeconds === "number") s += ` for ${t.tolerationSeconds}s`;
    w.write(0, `${s}\n`);
  });
}

/** describeTopologySpreadConstraints. */
export function topologySpread(constraints: unknown, w: DescribeWriter, space: string): void {
  const list = arr(constraints).map(obj);
  if (list.length === 0) return;
  const sorted = [...list].sort((a, b) => byteOrder(str(a.topologyKey), str(b.topologyKey)));
  w.write(0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((c, i) => {
    if (i !== 0) w.write(0, `${space}\t`);
    let s = `${str(c.topologyKey)}:${str(c.whenUnsatisfiable)} when max skew ${num(c.maxSkew)} is exceeded`;
    if (isObj(c.labelSelector)) s += ` for selector ${selectorString(c.labelSelector) || "<none>"}`;
    w.write(0, `${s}\n`);
  });
}

/** DescribePodTemplate. */
export function describePodTemplate(template: unknown, w: DescribeWriter): void {
  w.write(0, "Pod Template:\n");
  const t = obj(template);
  const meta = obj(t.metadata);
  const spec = obj(t.spec);
  labelsMultiline(w, "  Labels", meta.labels);
  if (Object.keys(obj(meta.annotations)).length > 0) annotationsMultiline(w, "  Annotations", meta.annotations);
  if (str(spec.serviceAccountName) !== "") w.write(1, `Service Account:\t${str(spec.serviceAccountName)}\n`);
  if (arr(spec.initContainers).length > 0)
    describeContainers("Init Containers", spec.initContainers, null, null, w, "  ");
  describeContainers("Containers", spec.containers, null, null, w, "  ");
  describeVolumes(spec.volumes, w, "  ");
  topologySpread(spec.topologySpreadConstraints, w, "  ");
  if (str(spec.priorityClassName) !== "") w.write(1, `Priority Class Name:\t${str(spec.priorityClassName)}\n`);
  labelsMultiline(w, "  Node-Selectors", spec.nodeSelector);
  tolerationsMultiline(w, "  Tolerations", spec.tolerations);
}
