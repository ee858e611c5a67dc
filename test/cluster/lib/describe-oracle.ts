// kubectl as the oracle for the describers: an object described the way the app does it (the object, its events,
// what `related` names, fetched from the API server), compared line by line with `kubectl describe KIND NAME`.
import assert from "node:assert/strict";
import type { KubeList, KubeObject } from "../../../src/kube/objects.ts";
import { eventsPath } from "../../../src/resources/describe/events.ts";
import type { DescribeInput, Describer } from "../../../src/resources/describe/types.ts";
import { str } from "../../../src/resources/describe/writer.ts";
import { kubectlOk } from "./kubectl.ts";
import type { Api, TestCluster } from "./target.ts";

/** What the app's describe view hands a describer: the object, its events and what `related` names, fetched. */
export async function describeLikeTheApp(api: Api, describer: Describer, path: string): Promise<string> {
  const res = await api.request("GET", path);
  assert.equal(res.status, 200, `GET ${path}`);
  const object = res.json as KubeObject;
  const eventList = (await api.request("GET", eventsPath(object))).json as KubeList;
  const related: Record<string, readonly KubeObject[] | KubeObject | undefined> = {};
  for (const [name, relatedPath] of Object.entries(describer.related?.(object) ?? {})) {
    const r = await api.request("GET", relatedPath);
    if (r.status === 404) related[name] = undefined;
    else {
      assert.equal(r.status, 200, `GET ${relatedPath}`);
      const body = r.json as KubeObject & { items?: KubeObject[] };
      related[name] = str(body.kind).endsWith("List") ? (body.items ?? []) : body;
    }
  }
  const input: DescribeInput = { object, events: eventList.items, related, now: Date.now() };
  return describer.describe(input);
}

export interface DescribeCase {
  kind: string;
  name: string;
  /** The `-n` kubectl is given (none: a cluster-scoped object). */
  namespace?: string;
  /** The object's API path, which the app GETs. */
  path: string;
  describer: Describer;
  /** Lines kubectl's text must have: the corpus is what the test means it to be. */
  has?: readonly string[];
}

/**
 * `kubectl describe KIND NAME [-n NAMESPACE]` must have the case's `has` lines, and our text must be kubectl's, line
 * for line, once `mask` has run over both.
 */
export async function assertDescribesLikeKubectl(
  cluster: TestCluster,
  c: DescribeCase,
  mask: (text: string) => string,
): Promise<void> {
  const namespace = c.namespace === undefined ? [] : ["-n", c.namespace];
  const describe = () => kubectlOk(cluster, "describe", c.kind, c.name, ...namespace).replace(/\n$/, "");
  let expected = describe();
  // The corpus was just written: on a busy machine kubectl's events query can come before the events are listed
  // (seen in CI, twice; the second time 5 s of asking was not enough for the first case after the cluster started).
  // kubectl prints no events when that query fails, rather than an error. Ask again for up to 20 s; a line that never
  // shows still fails.
  for (let attempt = 0; attempt < 40 && (c.has ?? []).some((line) => !expected.includes(line)); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    expected = describe();
  }
  for (const line of c.has ?? []) assert.ok(expected.includes(line), `kubectl's text lacks ${JSON.stringify(line)}`);
  const actual = await describeLikeTheApp(cluster, c.describer, c.path);
  assert.deepEqual(mask(actual).split("\n"), mask(expected).split("\n"));
}
