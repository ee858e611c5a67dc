// `kubectl describe endpointslice`, from kubectl's describeEndpointSliceV1: the address type, the ports table, each
// endpoint's addresses, readiness, host name, target, node and zone, and the events.
import { describeEvents } from "./events.ts";
import { meta } from "./kit.ts";
import type { Describer } from "./types.ts";
import { annotationsMultiline, arr, DescribeWriter, labelsMultiline, obj, str } from "./writer.ts";

/** A *string field: "<unset>" when nil. */
function orUnset(value: unknown): string {
  return typeof value === "string" ? value : "<unset>";
}

export const endpointSliceDescriber: Describer = {
  describe({ object, events, now }) {
    const m = meta(object);
    const w = new DescribeWriter();
    w.write(0, `Name:\t${m.name}\n`);
    w.write(0, `Namespace:\t${m.namespace}\n`);
    labelsMultiline(w, "Labels", m.labels);
    annotationsMultiline(w, "Annotations", m.annotations);
    w.write(0, `AddressType:\t${str(object.addressType)}\n`);

    const ports = arr(object.ports).map(obj);
    if (ports.length === 0) w.write(0, "Ports: <unset>\n");
    else {
      w.write(0, "Ports:\n");
      w.write(1, "Name\tPort\tProtocol\n");
      w.write(1, "----\t----\t--------\n");
      for (const port of ports) {
        const name = str(port.name) || "<unset>";
        const number = typeof port.port === "number" ? String(port.port) : "<unset>";
        w.write(1, `${name}\t${number}\t${str(port.protocol)}\n`);
      }
    }

    const endpoints = arr(object.endpoints).map(obj);
    if (endpoints.length === 0) w.write(0, "Endpoints: <none>\n");
    else {
      w.write(0, "Endpoints:\n");
      for (const endpoint of endpoints) {
        const addresses = arr(endpoint.addresses).map(str).join(", ");
        w.write(1, `- Addresses:\t${addresses || "<none>"}\n`);
        w.write(2, "Conditions:\n");
        const ready = obj(endpoint.conditions).ready;
        w.write(3, `Ready:\t${typeof ready === "boolean" ? String(ready) : "<unset>"}\n`);
        w.write(2, `Hostname:\t${orUnset(endpoint.hostname)}\n`);
        if (endpoint.targetRef !== undefined && endpoint.targetRef !== null) {
          const ref = obj(endpoint.targetRef);
          w.write(2, `TargetRef:\t${str(ref.kind)}/${str(ref.name)}\n`);
        }
        w.write(2, `NodeName:\t${orUnset(endpoint.nodeName)}\n`);
        w.write(2, `Zone:\t${orUnset(endpoint.zone)}\n`);
      }
    }
    describeEvents(events, w, now);
    return w.toString();
  },
};
