// core/v1 Pod (k8s.io/api core/v1 generated.proto), decoded into the JSON-shaped object that podRow reads, with only the
// fields it reads: everything else (managedFields, labels, env, volumes, probes...) is skipped unread. Of resources, the
// cpu and memory requests and limits are read (the usage columns' percentages), as their quantity strings.
// If podRow starts reading another field, add it here too; the JSON/protobuf equality tests catch the omission when
// their pods set that field.
import type { KubeObject } from "../objects.ts";
import { readObjectMeta } from "./meta.ts";
import { BYTES, MessageCache, type ProtoReader, VARINT } from "./reader.ts";
import { readTime } from "./time.ts";

type Json = Record<string, unknown>;

/** Stands for a sub-object whose presence or count matters but whose fields nobody reads (shared, so frozen). */
const UNREAD: Json = Object.freeze({});

const tag = (field: number, wireType: number): number => (field << 3) | wireType;

// Pod
const POD_METADATA = tag(1, BYTES);
const POD_SPEC = tag(2, BYTES);
const POD_STATUS = tag(3, BYTES);

/** A whole Pod message spanning [r.pos, end). */
export function readPod(r: ProtoReader, end: number): KubeObject {
  const pod: KubeObject = {
    apiVersion: undefined,
    kind: undefined,
    metadata: undefined,
    spec: undefined,
    status: undefined,
  };
  while (r.pos < end) {
    const t = r.varint();
    if (t === POD_METADATA) pod.metadata = readObjectMeta(r);
    else if (t === POD_SPEC) pod.spec = readPodSpec(r);
    else if (t === POD_STATUS) pod.status = readPodStatus(r);
    else r.skip(t & 7);
  }
  r.expectEnd(end);
  return pod;
}

// PodSpec
const SPEC_CONTAINERS = tag(2, BYTES);
const SPEC_NODE_NAME = tag(10, BYTES);
const SPEC_INIT_CONTAINERS = tag(20, BYTES);
const SPEC_READINESS_GATES = tag(28, BYTES);
const SPEC_OVERHEAD = tag(32, BYTES);
const SPEC_RESOURCES = tag(40, BYTES);
// Container
const CONTAINER_NAME = tag(1, BYTES);
const CONTAINER_RESOURCES = tag(8, BYTES);
const CONTAINER_RESTART_POLICY = tag(24, BYTES);
// ResourceRequirements
const REQUIREMENTS_LIMITS = tag(1, BYTES);
const REQUIREMENTS_REQUESTS = tag(2, BYTES);
// map<string, Quantity> entry, and Quantity
const ENTRY_KEY = tag(1, BYTES);
const ENTRY_VALUE = tag(2, BYTES);
const QUANTITY_STRING = tag(1, BYTES);
// PodReadinessGate
const GATE_CONDITION_TYPE = tag(1, BYTES);

function readPodSpec(r: ProtoReader): Json {
  const end = r.delimited();
  const containers: Json[] = [];
  let initContainers: Json[] | undefined;
  let nodeName: string | undefined;
  let readinessGates: Json[] | undefined;
  let overhead: Json | undefined;
  let resources: Json | undefined;
  while (r.pos < end) {
    const t = r.varint();
    switch (t) {
      case SPEC_CONTAINERS:
        // Counted (READY's total) and their resources read; the rest is the bulk of a spec and nothing reads it.
        containers.push(readContainer(r));
        break;
      case SPEC_OVERHEAD:
        overhead = readQuantityEntry(r, overhead);
        break;
      case SPEC_RESOURCES:
        resources = readRequirements(r);
        break;
      case SPEC_INIT_CONTAINERS:
        initContainers = append(initContainers, readInitContainer(r));
        break;
      case SPEC_NODE_NAME:
        nodeName = r.symbol();
        break;
      case SPEC_READINESS_GATES:
        readinessGates = append(readinessGates, { conditionType: readOnlyString(r, GATE_CONDITION_TYPE, true) });
        break;
      default:
        r.skip(t & 7);
    }
  }
  r.expectEnd(end);
  return { nodeName, containers, initContainers, readinessGates, overhead, resources };
}

/** A container's cpu/memory requests and limits; UNREAD (shared) when it sets none, as most fields are skipped. */
function readContainer(r: ProtoReader): Json {
  const end = r.delimited();
  let resources: Json | undefined;
  while (r.pos < end) {
    const t = r.varint();
    if (t === CONTAINER_RESOURCES) resources = readRequirements(r);
    else r.skip(t & 7);
  }
  r.expectEnd(end);
  return resources === undefined ? UNREAD : { resources };
}

/** Name, restartPolicy and resources: a restartable ("sidecar") init container is matched to its status by name. */
function readInitContainer(r: ProtoReader): Json {
  const end = r.delimited();
  const container: Json = { name: undefined, restartPolicy: undefined, resources: undefined };
  while (r.pos < end) {
    const t = r.varint();
    if (t === CONTAINER_NAME) container.name = r.symbol();
    else if (t === CONTAINER_RESTART_POLICY) container.restartPolicy = r.symbol();
    else if (t === CONTAINER_RESOURCES) container.resources = readRequirements(r);
    else r.skip(t & 7);
  }
  r.expectEnd(end);
  return container;
}

/**
 * Containers of one workload ask for the same resources: their ResourceRequirements are decoded once per distinct
 * bytes and shared (frozen). 30 distinct ones among the simulator's 100k pods.
 */
const requirementsCache = new MessageCache<Json>(512, 160);

/** ResourceRequirements whose length prefix is next: limits and requests (claims are not read); shared, frozen. */
function readRequirements(r: ProtoReader): Json {
  return requirementsCache.read(r, decodeRequirements);
}

function decodeRequirements(r: ProtoReader, end: number): Json {
  let limits: Json | undefined;
  let requests: Json | undefined;
  while (r.pos < end) {
    const t = r.varint();
    if (t === REQUIREMENTS_LIMITS) limits = readQuantityEntry(r, limits);
    else if (t === REQUIREMENTS_REQUESTS) requests = readQuantityEntry(r, requests);
    else r.skip(t & 7);
  }
  r.expectEnd(end);
  if (limits) Object.freeze(limits);
  if (requests) Object.freeze(requests);
  return Object.freeze({ limits, requests });
}

/** One map<string, Quantity> entry added to `map`; only cpu and memory are kept (the only ones podRow reads). */
function readQuantityEntry(r: ProtoReader, map: Json | undefined): Json | undefined {
  const end = r.delimited();
  let key: string | undefined;
  let value: string | undefined;
  while (r.pos < end) {
    const t = r.varint();
    if (t === ENTRY_KEY) key = r.symbol();
    else if (t === ENTRY_VALUE) value = readOnlyString(r, QUANTITY_STRING, true);
    else r.skip(t & 7);
  }
  r.expectEnd(end);
  if ((key !== "cpu" && key !== "memory") || value === undefined) return map;
  const out = map ?? {};
  out[key] = value;
  return out;
}

// PodStatus
const STATUS_PHASE = tag(1, BYTES);
const STATUS_CONDITIONS = tag(2, BYTES);
const STATUS_REASON = tag(4, BYTES);
const STATUS_POD_IP = tag(6, BYTES);
const STATUS_CONTAINER_STATUSES = tag(8, BYTES);
const STATUS_INIT_CONTAINER_STATUSES = tag(10, BYTES);
const STATUS_NOMINATED_NODE_NAME = tag(11, BYTES);
const STATUS_POD_IPS = tag(12, BYTES);
// PodIP
const POD_IP_IP = tag(1, BYTES);

function readPodStatus(r: ProtoReader): Json {
  const end = r.delimited();
  let phase: string | undefined;
  let reason: string | undefined;
  let nominatedNodeName: string | undefined;
  let podIP: string | undefined;
  let podIPs: Json[] | undefined;
  const conditions = conditionScratch;
  conditions.length = 0;
  let initContainerStatuses: Json[] | undefined;
  const containerStatuses = statusScratch;
  containerStatuses.length = 0;
  while (r.pos < end) {
    const t = r.varint();
    switch (t) {
      case STATUS_PHASE:
        phase = r.symbol();
        break;
      case STATUS_CONDITIONS:
        conditions.push(readCondition(r));
        break;
      case STATUS_REASON:
        reason = r.symbol();
        break;
      case STATUS_POD_IP:
        podIP = r.string();
        break;
      case STATUS_POD_IPS:
        // Read only when podIP is empty: podIP is authoritative and the row takes podIPs[0] only without it.
        if (podIP === undefined || podIP === "") podIPs = append(podIPs, { ip: readOnlyString(r, POD_IP_IP) });
        else r.skip(BYTES);
        break;
      case STATUS_NOMINATED_NODE_NAME:
        nominatedNodeName = r.string();
        break;
      case STATUS_CONTAINER_STATUSES:
        containerStatuses.push(readContainerStatus(r, false));
        break;
      case STATUS_INIT_CONTAINER_STATUSES:
        initContainerStatuses = append(initContainerStatuses, readContainerStatus(r, true));
        break;
      default:
        r.skip(t & 7);
    }
  }
  r.expectEnd(end);
  return {
    phase,
    reason,
    nominatedNodeName,
    podIP,
    podIPs,
    conditions: conditions.length > 0 ? recentConditionLists.share(conditions) : undefined,
    initContainerStatuses,
    containerStatuses: containerStatuses.length > 0 ? recentStatusLists.share(containerStatuses) : undefined,
  };
}

// A pod's conditions and container statuses are gathered here (readPodStatus does not nest), then shared.
const conditionScratch: Json[] = [];
const statusScratch: Json[] = [];

/**
 * Lists of shared elements that repeat across pods (the same five conditions; one ready running container), handed
 * out again, frozen: the last few distinct ones are kept. `share` copies its argument when it keeps it.
 */
class RecentLists {
  private readonly lists: (readonly Json[])[] = [];
  private readonly size: number;
  private next = 0;

  constructor(size: number) {
    this.size = size;
  }

  share(items: readonly Json[]): Json[] {
    for (let l = 0; l < this.lists.length; l++) {
      const list = this.lists[l]!;
      if (sameItems(list, items)) return list as Json[];
    }
    const list = Object.freeze(items.slice());
    this.lists[this.next] = list;
    this.next = (this.next + 1) % this.size;
    return list as Json[];
  }
}

function sameItems(a: readonly Json[], b: readonly Json[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const recentConditionLists = new RecentLists(16);
const recentStatusLists = new RecentLists(16);

// PodCondition
const CONDITION_TYPE = tag(1, BYTES);
const CONDITION_STATUS = tag(2, BYTES);
const CONDITION_REASON = tag(5, BYTES);

/**
 * Conditions as read (type, status, reason; their times are not) repeat across pods: a dozen distinct ones among 100k
 * pods. The last CONDITION_SLOTS distinct ones are kept and handed out again (frozen), so that a pod's five conditions
 * are not five new objects.
 */
const CONDITION_SLOTS = 16;
const recentConditions: Json[] = [];
let nextConditionSlot = 0;

function readCondition(r: ProtoReader): Json {
  const end = r.delimited();
  let type: string | undefined;
  let status: string | undefined;
  let reason: string | undefined;
  while (r.pos < end) {
    const t = r.varint();
    if (t === CONDITION_TYPE) type = r.symbol();
    else if (t === CONDITION_STATUS) status = r.symbol();
    else if (t === CONDITION_REASON) reason = r.symbol();
    else r.skip(t & 7);
  }
  r.expectEnd(end);
  for (let i = 0; i < recentConditions.length; i++) {
    const c = recentConditions[i]!;
    if (c.type === type && c.status === status && c.reason === reason) return c;
  }
  const condition = Object.freeze({ type, status, reason });
  recentConditions[nextConditionSlot] = condition;
  nextConditionSlot = (nextConditionSlot + 1) % CONDITION_SLOTS;
  return condition;
}

// ContainerStatus
const CS_NAME = tag(1, BYTES);
const CS_STATE = tag(2, BYTES);
const CS_LAST_STATE = tag(3, BYTES);
const CS_READY = tag(4, VARINT);
const CS_RESTART_COUNT = tag(5, VARINT);
const CS_STARTED = tag(9, VARINT);

/** `withName`: init container statuses are matched to their specs by name; plain ones never are. */
function readContainerStatus(r: ProtoReader, withName: boolean): Json {
  const end = r.delimited();
  const cs: Json = {
    name: undefined,
    ready: undefined,
    started: undefined,
    restartCount: undefined,
    state: undefined,
    lastState: undefined,
  };
  while (r.pos < end) {
    const t = r.varint();
    switch (t) {
      case CS_NAME:
        if (withName) cs.name = r.symbol();
        else r.skip(BYTES);
        break;
      case CS_STATE:
        cs.state = readContainerState(r);
        break;
      case CS_LAST_STATE:
        cs.lastState = readContainerState(r);
        break;
      case CS_READY:
        cs.ready = r.bool();
        break;
      case CS_RESTART_COUNT:
        cs.restartCount = r.int32();
        break;
      case CS_STARTED:
        cs.started = r.bool();
        break;
      default:
        r.skip(t & 7);
    }
  }
  r.expectEnd(end);
  return shareStatus(cs);
}

/**
 * Container statuses as read repeat across pods (ready, running, no restarts, nothing before): the last
 * STATUS_SLOTS distinct ones are kept and handed out again (frozen). Their states are shared objects when running
 * or empty (readContainerState), so identity says when two are the same.
 */
const STATUS_SLOTS = 16;
const recentStatuses: Json[] = [];
let nextStatusSlot = 0;

function shareStatus(cs: Json): Json {
  for (let i = 0; i < recentStatuses.length; i++) {
    const known = recentStatuses[i]!;
    if (
      known.state === cs.state &&
      known.lastState === cs.lastState &&
      known.ready === cs.ready &&
      known.restartCount === cs.restartCount &&
      known.started === cs.started &&
      known.name === cs.name
    ) {
      return known;
    }
  }
  Object.freeze(cs);
  recentStatuses[nextStatusSlot] = cs;
  nextStatusSlot = (nextStatusSlot + 1) % STATUS_SLOTS;
  return cs;
}

// ContainerState
const STATE_WAITING = tag(1, BYTES);
const STATE_RUNNING = tag(2, BYTES);
const STATE_TERMINATED = tag(3, BYTES);
// ContainerStateWaiting
const WAITING_REASON = tag(1, BYTES);
// ContainerStateTerminated
const TERMINATED_EXIT_CODE = tag(1, VARINT);
const TERMINATED_SIGNAL = tag(2, VARINT);
const TERMINATED_REASON = tag(3, BYTES);
const TERMINATED_FINISHED_AT = tag(6, BYTES);

/** The states most containers are in, as read, shared (frozen): running (startedAt is not read), and none. */
const RUNNING_STATE: Json = Object.freeze({ waiting: undefined, running: UNREAD, terminated: undefined });
const NO_STATE: Json = Object.freeze({ waiting: undefined, running: undefined, terminated: undefined });

function readContainerState(r: ProtoReader): Json {
  const end = r.delimited();
  let waiting: Json | undefined;
  let running: Json | undefined;
  let terminated: Json | undefined;
  while (r.pos < end) {
    const t = r.varint();
    if (t === STATE_WAITING) waiting = { reason: readOnlyString(r, WAITING_REASON, true) };
    else if (t === STATE_RUNNING) {
      // Its presence is what counts (startedAt is not read).
      r.pos = r.delimited();
      running = UNREAD;
    } else if (t === STATE_TERMINATED) terminated = readTerminated(r);
    else r.skip(t & 7);
  }
  r.expectEnd(end);
  if (waiting === undefined && terminated === undefined) return running === undefined ? NO_STATE : RUNNING_STATE;
  return { waiting, running, terminated };
}

function readTerminated(r: ProtoReader): Json {
  const end = r.delimited();
  const terminated: Json = { exitCode: 0, signal: 0, reason: undefined, finishedAt: undefined };
  while (r.pos < end) {
    const t = r.varint();
    if (t === TERMINATED_EXIT_CODE) terminated.exitCode = r.int32();
    else if (t === TERMINATED_SIGNAL) terminated.signal = r.int32();
    else if (t === TERMINATED_REASON) terminated.reason = r.symbol();
    else if (t === TERMINATED_FINISHED_AT) terminated.finishedAt = readTime(r);
    else r.skip(t & 7);
  }
  r.expectEnd(end);
  return terminated;
}

/**
 * A message whose length prefix is next and of which one string field is wanted (undefined when absent); `symbol` for
 * values that recur across pods.
 */
function readOnlyString(r: ProtoReader, wanted: number, symbol = false): string | undefined {
  const end = r.delimited();
  let value: string | undefined;
  while (r.pos < end) {
    const t = r.varint();
    if (t === wanted) value = symbol ? r.symbol() : r.string();
    else r.skip(t & 7);
  }
  r.expectEnd(end);
  return value;
}

/** Appends to a repeated field's list, creating it on the first element (most repeated fields are absent). */
function append<T>(list: T[] | undefined, item: T): T[] {
  if (list === undefined) return [item];
  list.push(item);
  return list;
}
