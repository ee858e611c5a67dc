// A kubeconfig for the simulator: one cluster (CA data inline), one token user, one context.
import { stringify } from "yaml";

export function kubeconfigYaml(o: { server: string; caPem?: string; token: string; contextName: string }): string {
  const cluster: Record<string, unknown> = { server: o.server };
  if (o.caPem) cluster["certificate-authority-data"] = Buffer.from(o.caPem).toString("base64");
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: o.contextName, cluster }],
    users: [{ name: `${o.contextName}-user`, user: { token: o.token } }],
    contexts: [{ name: o.contextName, context: { cluster: o.contextName, user: `${o.contextName}-user` } }],
    "current-context": o.contextName,
    preferences: {},
  });
}
