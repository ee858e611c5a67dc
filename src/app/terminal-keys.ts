// `s` (a shell) and `a` (attach) on a pod or one of its containers: each is a "terminal" effect that hands the
// terminal to the container until the session ends. Both are writes in the cluster's eyes (create pods/exec,
// pods/attach), so a read-only context does not offer them.
import { type Binding, keys } from "./bindings.ts";
import type { TerminalTarget } from "./effects.ts";
import type { View, ViewContext, ViewResult } from "./views/view.ts";

/** The pod a session is opened on. */
export interface PodRef {
  namespace: string;
  name: string;
}

/** The effect's id, which the message line shows when the session ends ("shell on api-1/web: exited with 0"). */
export function terminalId(target: TerminalTarget): string {
  const where = target.container !== undefined ? `${target.pod}/${target.container}` : target.pod;
  return `${target.mode === "shell" ? "shell on" : "attach to"} ${where}`;
}

/**
 * The `s` and `a` bindings for a pod (`container` undefined: its default container, chosen when the session opens)
 * or one container; none when read-only. `view` is the view they are offered in (it stays as it is).
 */
export function terminalBindings(
  view: View,
  pod: PodRef,
  ctx: Pick<ViewContext, "readOnly">,
  container?: string,
): Binding<ViewResult>[] {
  if (ctx.readOnly) return [];
  const open = (mode: TerminalTarget["mode"]): ViewResult => {
    const target: TerminalTarget = { mode, namespace: pod.namespace, pod: pod.name, container };
    return [view, [{ type: "effect", effect: { type: "terminal", id: terminalId(target), target } }]];
  };
  const which = container === undefined ? "the pod's default container" : "the container";
  return [
    {
      keys: keys("s"),
      label: `a shell in ${which} (bash, else sh; exit comes back)`,
      section: "Move",
      hint: "shell",
      run: () => open("shell"),
    },
    {
      keys: keys("a"),
      label: `attach to ${which}'s main process (Ctrl-P Ctrl-Q detaches)`,
      section: "Move",
      run: () => open("attach"),
    },
  ];
}
