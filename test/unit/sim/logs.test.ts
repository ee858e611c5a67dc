// The simulator's pod log endpoint, as kube-apiserver serves it: the query parameters, the errors (Status), follow
// with new lines over time, the stream ending when the pod goes (kubectl logs: kubectl.test.ts).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { KubeObject } from "../../../src/kube/objects.ts";
import { type SimServer, startSimServer } from "../../../src/sim/index.ts";

let sim: SimServer;

before(async () => {
  sim = await startSimServer({
    pods: 60,
    seed: 5,
    tls: false,
    users: [{ name: "nolog", token: "nolog", deny: ["pods/log"] }],
  });
});

after(async () => {
  await sim.stop();
});

type Obj = Record<string, unknown>;
const containers = (p: KubeObject) => ((p.spec as Obj).containers as Obj[]).map((c) => String(c.name));
const running = (p: KubeObject) => (p.status as Obj).phase === "Running" && !p.metadata?.deletionTimestamp;
const statuses = (p: KubeObject) => ((p.status as Obj).containerStatuses ?? []) as Obj[];

function pick(pred: (p: KubeObject) => boolean): KubeObject {
  const p = sim.store.list("pods").find(pred);
  assert.ok(p, "the simulated cluster has such a pod");
  return p;
}

const logPath = (p: KubeObject, q: string) =>
  `/api/v1/namespaces/${p.metadata!.namespace}/pods/${p.metadata!.name}/log?${q}`;

async function get(path: string, token = sim.token): Promise<{ status: number; text: string }> {
  const res = await fetch(`${sim.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: res.status, text: await res.text() };
}

test("tailLines, timestamps (RFC3339Nano), a container: the same request gives the same lines", async () => {
  const pod = pick((p) => running(p) && containers(p).length === 1);
  const tail20 = async () => {
    const res = await get(logPath(pod, "tailLines=20&timestamps=true"));
    assert.equal(res.status, 200, res.text);
    return res.text.split("\n").slice(0, -1);
  };
  // The container keeps writing (about a line a second): the second request is compared with the first only when
  // no line was written between them, which a third request taken after it shows.
  for (let attempt = 0; ; attempt++) {
    const lines = await tail20();
    assert.equal(lines.length, 20);
    for (const l of lines) assert.match(l, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z /);
    const b = await get(logPath(pod, `tailLines=5&container=${containers(pod)[0]}`));
    const again = await tail20();
    if (again.at(-1) !== lines.at(-1) && attempt < 5) continue;
    assert.deepEqual(again, lines, "no line was written during the requests");
    assert.deepEqual(
      b.text.split("\n").slice(0, -1),
      lines.slice(-5).map((l) => l.slice(l.indexOf(" ") + 1)),
    );
    return;
  }
});

test("sinceTime gives the lines at or after it; sinceSeconds and limitBytes bound the answer", async () => {
  const pod = pick((p) => running(p) && containers(p).length === 1);
  const all = (await get(logPath(pod, "tailLines=30&timestamps=true"))).text.split("\n").slice(0, -1);
  const from = all[10]!.split(" ")[0]!;
  const since = (await get(logPath(pod, `sinceTime=${from}&timestamps=true`))).text.split("\n").slice(0, -1);
  assert.deepEqual(
    since.slice(0, all.length - all.findIndex((l) => l.startsWith(from))),
    all.slice(all.findIndex((l) => l.startsWith(from))),
  );
  const recent = (await get(logPath(pod, "sinceSeconds=5&timestamps=true"))).text.split("\n").slice(0, -1);
  const cutoff = Date.now() - 6000;
  for (const l of recent) assert.ok(Date.parse(l.split(" ")[0]!) >= cutoff, l);
  const limited = await get(logPath(pod, "limitBytes=100"));
  assert.equal(Buffer.byteLength(limited.text), 100);
});

test("errors as the real server words them (Status)", async () => {
  const multi = pick(
    (p) =>
      running(p) && containers(p).length > 1 && !p.metadata?.annotations?.["kubectl.kubernetes.io/default-container"],
  );
  const none = await get(logPath(multi, ""));
  assert.equal(none.status, 400);
  assert.match(JSON.parse(none.text).message, /^a container name must be specified for pod .*, choose one of: \[/);
  const bad = await get(logPath(multi, "container=nope"));
  assert.equal(JSON.parse(bad.text).message, `container nope is not valid for pod ${multi.metadata!.name}`);
  const fresh = pick((p) => running(p) && statuses(p).every((s) => Number(s.restartCount ?? 0) === 0));
  const prev = await get(logPath(fresh, `previous=true&container=${containers(fresh)[0]}`));
  assert.equal(prev.status, 400);
  assert.equal(
    JSON.parse(prev.text).message,
    `previous terminated container "${containers(fresh)[0]}" in pod "${fresh.metadata!.name}" not found`,
  );
  const waitingPod = sim.store.createPod(undefined, "ContainerCreating");
  const c = containers(waitingPod)[0]!;
  const waiting = await get(logPath(waitingPod, `container=${c}`));
  assert.equal(waiting.status, 400);
  assert.equal(
    JSON.parse(waiting.text).message,
    `container "${c}" in pod "${waitingPod.metadata!.name}" is waiting to start: ContainerCreating`,
  );
  const gone = await get("/api/v1/namespaces/default/pods/no-such-pod/log");
  assert.equal(gone.status, 404);
  assert.equal(JSON.parse(gone.text).message, 'pods "no-such-pod" not found');
  const denied = await get(logPath(fresh, ""), "nolog");
  assert.equal(denied.status, 403);
  assert.match(JSON.parse(denied.text).message, /cannot get resource "pods\/log" in API group ""/);
});

test("previous: the last terminated container's lines", async () => {
  const restarted = pick(
    (p) => running(p) && statuses(p).some((s) => Number(s.restartCount ?? 0) > 0 && (s.lastState as Obj)?.terminated),
  );
  const s = statuses(restarted).find((x) => Number(x.restartCount ?? 0) > 0)!;
  const r = await get(logPath(restarted, `previous=true&container=${s.name}&tailLines=3`));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.text.split("\n").slice(0, -1).length, 3);
});

test("follow: new lines arrive over time, and the stream ends when the pod is deleted", async () => {
  const pod = sim.store.createPod(undefined, "Running");
  const res = await fetch(
    `${sim.url}${logPath(pod, `follow=true&tailLines=0&timestamps=true&container=${containers(pod)[0]}`)}`,
    {
      headers: { Authorization: `Bearer ${sim.token}` },
    },
  );
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    assert.equal(done, false, "the stream stays open while the pod runs");
    text += Buffer.from(value!).toString();
  }
  sim.store.delete("pods", pod.metadata!.namespace!, pod.metadata!.name!);
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
  }
});
