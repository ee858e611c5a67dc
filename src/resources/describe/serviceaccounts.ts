// `kubectl describe serviceaccount`, from kubectl's describeServiceAccount: its image pull secrets, mountable secrets
// and token secrets (those of type service-account-token annotated with its name and UID), a referenced secret that
// does not exist marked "(not found)", and the events.
import type { KubeObject } from "../../kube/objects.ts";
import { describeEvents } from "./events.ts";
import { meta } from "./kit.ts";
import type { Describer } from "./types.ts";
import { annotationsMultiline, arr, DescribeWriter, labelsMultiline, obj, str } from "./writer.ts";

const EMPTY_HEADER = "                   ";

export const serviceAccountDescriber: Describer = {
  related(object) {
    return { secrets: `/api/v1/namespaces/${encodeURIComponent(meta(object).namespace)}/secrets` };
  },

  describe({ object, events, related, now }) {
    const m = meta(object);
    const uid = str(object.metadata?.uid);
    const pull = arr(object.imagePullSecrets).map((s) => str(obj(s).name));
    const mount = arr(object.secrets).map((s) => str(obj(s).name));
    const tokens: string[] = [];
    const missing = new Set<string>();
    const secrets = related.secrets;
    // Without the namespace's secrets (refused), kubectl lists no tokens and marks nothing missing.
    if (Array.isArray(secrets)) {
      const existing = new Set<string>();
      for (const s of secrets as KubeObject[]) {
        const annotations = s.metadata?.annotations ?? {};
        if (
          s.type === "kubernetes.io/service-account-token" &&
          (annotations["kubernetes.io/service-account.name"] ?? "") === m.name &&
          (annotations["kubernetes.io/service-account.uid"] ?? "") === uid
        ) {
          tokens.push(str(s.metadata?.name));
        }
        existing.add(str(s.metadata?.name));
      }
      for (const name of [...mount, ...pull]) if (!existing.has(name)) missing.add(name);
    }
    const w = new DescribeWriter();
    w.write(0, `Name:\t${m.name}\n`);
    w.write(0, `Namespace:\t${m.namespace}\n`);
    labelsMultiline(w, "Labels", m.labels);
    annotationsMultiline(w, "Annotations", m.annotations);
    const sections: [string, string[]][] = [
      ["Image pull secrets:", pull],
      ["Mountable secrets: ", mount],
      ["Tokens:            ", tokens],
    ];
    for (const [header, names] of sections) {
      if (names.length === 0) {
        w.write(0, `${header}\t<none>\n`);
        continue;
      }
      names.forEach((name, i) => {
        w.write(0, `${i === 0 ? header : EMPTY_HEADER}\t${name}${missing.has(name) ? " (not found)" : ""}\n`);
      });
    }
    describeEvents(events, w, now);
    return w.toString();
  },
};
