// `kubectl describe configmap`, from kubectl's ConfigMapDescriber: each data key with its value under a rule, each
// binary key with its size, and the events. Keys in sorted order (kubectl 1.32 walks a Go map, in no set order;
// later kubectl sorts them).
import { describeEvents } from "./events.ts";
import { meta } from "./kit.ts";
import type { Describer } from "./types.ts";
import { annotationsMultiline, byteOrder, DescribeWriter, labelsMultiline, obj, str } from "./writer.ts";

export const configMapDescriber: Describer = {
  describe({ object, events, now }) {
    const m = meta(object);
    const w = new DescribeWriter();
    w.write(0, `Name:\t${m.name}\n`);
    w.write(0, `Namespace:\t${m.namespace}\n`);
    labelsMultiline(w, "Labels", m.labels);
    annotationsMultiline(w, "Annotations", m.annotations);
    w.write(0, "\nData\n====\n");
    const data = obj(object.data);
    for (const key of Object.keys(data).sort(byteOrder)) {
      w.write(0, `${key}:\n----\n`);
      w.write(0, `${str(data[key])}\n`);
      w.write(0, "\n");
    }
    w.write(0, "\nBinaryData\n====\n");
    const binary = obj(object.binaryData);
    for (const key of Object.keys(binary).sort(byteOrder)) {
      w.write(0, `${key}: ${Buffer.from(str(binary[key]), "base64").length} bytes\n`);
    }
    w.write(0, "\n");
    describeEvents(events, w, now);
    return w.toString();
  },
};
