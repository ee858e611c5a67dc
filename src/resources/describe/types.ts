// `kubectl describe`, written from kubectl's rules: a describer turns an object (and the objects its description
// needs: its events, a deployment's replicasets, a node's pods, ...) into the text kubectl prints. Pure functions:
// the app fetches what `related` names and hands everything over.
import type { KubeObject } from "../../kube/objects.ts";

/** What a description is made from. */
export interface DescribeInput {
  object: KubeObject;
  /** The object's events (core/v1, involvedObject = the object), oldest first as kubectl sorts them. */
  events: readonly KubeObject[];
  /** The related objects, by the names `related()` gave: a LIST's items, or one object from a GET (404: undefined). */
  related: Readonly<Record<string, readonly KubeObject[] | KubeObject | undefined>>;
  /** Epoch ms: ages ("5m ago", the events' Age column) are computed from it. */
  now: number;
}

/** One kind's describe. */
export interface Describer {
  /** API paths (with their query) of the other objects this description needs, by a name of the describer's choice. */
  related?(object: KubeObject): Record<string, string>;
  /** The text, exactly as `kubectl describe` prints it, lines joined with "\n" (no trailing newline). */
  describe(input: DescribeInput): string;
}
