// `kubectl describe secret`, from kubectl's describeSecret: the type and each key's size, never a value. kubectl
// prints a service-account token's `token` in clear; this one gives its size like every other key's. Keys in sorted
// order (kubectl 1.32 walks a Go map, in no set order; later kubectl sorts them). kubectl shows no events here.
import { meta } from "./kit.ts";
import type { Describer } from "./types.ts";
import { annotationsMultiline, byteOrder, DescribeWriter, labelsMultiline, obj, str } from "./writer.ts";

export const secretDescriber: Describer = {
  describe({ object }) {
    const m = meta(object);
    const w = new DescribeWriter();
    w.write(0, `Name:\t${m.name}\n`);
    w.write(0, `Namespace:\t${m.namespace}\n`);
    labelsMultiline(w, "Labels", m.labels);
    annotationsMultiline(w, "Annotations", m.annotations);
    w.write(0, `\nType:\t${str(object.type)}\n`);
    w.write(0, "\nData\n====\n");
    const data = obj(object.data);
    for (const key of Object.keys(data).sort(byteOrder)) {
      w.write(0, `${key}:\t${Buffer.from(str(data[key]), "base64").length} bytes\n`);
    }
    return w.toString();
  },
};
