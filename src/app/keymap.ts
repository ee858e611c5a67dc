// The key reference, generated from the same bindings the views use: the README's key table is this text (a test
// checks it), and `?` shows the same bindings for the view at hand.
import type { Repository } from "../repository/types.ts";
import { type Binding, helpSections } from "./bindings.ts";
import { newRootModel, promptBindings, rootBindings, top, update, viewContext } from "./root.ts";
import { actionBindings } from "./views/table-actions.ts";
import type { ViewResult } from "./views/view.ts";
import { YamlView } from "./views/yaml.ts";

/** One group of the reference: where the keys apply, and the bindings there. */
interface Place {
  title: string;
  bindings: Binding<unknown>[];
}

function keyEvent(name: string) {
  return { type: "key" as const, name, ctrl: false, alt: false, shift: false, text: name };
}

/** Every key of the app, by where it applies, from a model over `repo` (which should have a few pods). */
export function keyReference(repo: Repository): Place[] {
  const base = newRootModel(repo, { width: 120, height: 40, now: 0 });
  const ctx = viewContext(base);
  const table = top(base).bindings(ctx) as Binding<ViewResult>[];
  // A deeper view offers Esc (back); picking a column offers Shift-O; a kept filter offers Esc (clear).
  const [deeper] = update(base, { type: "key", name: ":", ctrl: false, alt: false, shift: false, text: ":" });
  let m = deeper;
  for (const ch of "deploy") [m] = update(m, keyEvent(ch));
  [m] = update(m, { type: "key", name: "enter", ctrl: false, alt: false, shift: false });
  [m] = update(m, { type: "key", name: "right", ctrl: false, alt: false, shift: true });
  const picked = top(m).bindings(viewContext(m));
  // With recent namespaces (1–9) and a filter kept (Esc clears it).
  let scoped = base;
  for (const ev of [keyEvent(":"), ...[..."pods a"].map(keyEvent), { ...keyEvent("enter"), name: "enter" }]) {
    [scoped] = update(scoped, ev.name === " " ? { ...ev, name: " " } : ev);
  }
  for (const ev of [keyEvent(":"), ...[..."pods b"].map(keyEvent), { ...keyEvent("enter"), name: "enter" }]) {
    [scoped] = update(scoped, ev);
  }
  for (const ev of [keyEvent("/"), keyEvent("x"), { ...keyEvent("enter"), name: "enter" }])
    [scoped] = update(scoped, ev);
  const kept = [...top(scoped).bindings(viewContext(scoped)), ...rootBindings(scoped)];
  const [filtering] = update(base, keyEvent("/"));
  const filter = top(filtering).bindings(viewContext(filtering));
  const [prompting] = update(base, keyEvent(":"));
  // The YAML view (`y` on a row) of a secret (x decodes), filled, with a search kept (n, N, Esc), then while a
  // search is typed.
  const [withYaml, yamlEffects] = update(base, keyEvent("y"));
  const yamlView = top(withYaml);
  const get = yamlEffects.find((e) => e.type === "get");
  const secretKind = repo.kinds().find((k) => k.key === "secrets");
  let yaml = withYaml;
  if (yamlView instanceof YamlView && get?.type === "get" && secretKind) {
    const [secretView, actions] = YamlView.open(
      secretKind,
      { namespace: "default", name: "s", uid: "", createdAt: 0 },
      yamlView.id,
      "secret",
    ).fetch();
    const action = actions[0];
    const id = action?.type === "effect" && action.effect.type === "get" ? action.effect.id : "";
    const [filled] = secretView.update({ type: "result", id, value: { kind: "Secret", data: { a: "YQ==" } } }, ctx);
    yaml = { ...withYaml, stack: [...withYaml.stack.slice(0, -1), filled] };
  }
  for (const ev of [keyEvent("/"), keyEvent("a"), { ...keyEvent("enter"), name: "enter" }]) [yaml] = update(yaml, ev);
  const [yamlTyping] = update(yaml, keyEvent("/"));
  const seen = new Set<string>();
  const once = (bindings: readonly Binding<unknown>[]) =>
    bindings.filter((b) => {
      const id = `${b.section}\u0000${b.label}\u0000${b.keys.map((k) => k.name).join()}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  // The actions other kinds add (the pods table above has its own), and the keys of a dialog (Ctrl-D's).
  const row = { namespace: "default", name: "x", uid: "x", createdAt: 0 };
  const kindActions = ["deployments.apps", "daemonsets.apps", "nodes", "cronjobs.batch"].flatMap((key) => {
    const kind = repo.kinds().find((k) => k.key === key);
    if (!kind) return [];
    const target = { kind, short: key, plural: key, rows: [row], view: top(base), viewId: "keys" };
    return actionBindings(target, ctx);
  });
  const deleting = table.find((b) => b.keys.some((k) => k.name === "d" && k.ctrl));
  const dialog = deleting ? deleting.run()[1].find((a) => a.type === "push") : undefined;
  const dialogBindings = dialog?.type === "push" ? dialog.view.bindings(ctx) : [];
  return [
    { title: "Tables", bindings: once([...table, ...picked, ...kept, ...rootBindings(m), ...rootBindings(base)]) },
    { title: "Tables of deployments, statefulsets, daemonsets, nodes, cronjobs", bindings: once(kindActions) },
    { title: "In a dialog (Ctrl-D delete, s scale)", bindings: once(dialogBindings) },
    { title: "While typing a filter", bindings: once(filter) },
    { title: "YAML view (y on a row)", bindings: once([...top(yaml).bindings(viewContext(yaml))]) },
    { title: "While typing a YAML search", bindings: once([...top(yamlTyping).bindings(viewContext(yamlTyping))]) },
    { title: "On the command line", bindings: once(promptBindings(prompting)) },
  ];
}

/** The reference as a Markdown table (the README's). */
export function keyTableMarkdown(repo: Repository): string {
  const lines = ["| key | action |", "| --- | --- |"];
  for (const place of keyReference(repo)) {
    lines.push(`| **${place.title}** | |`);
    for (const section of helpSections(place.bindings)) {
      for (const [keys, label] of section.entries) {
        lines.push(
          `| ${keys
            .split(" ")
            .map((k) => `\`${k.replace("|", "\\|")}\``)
            .join(" ")} | ${label} |`,
        );
      }
    }
  }
  return lines.join("\n");
}
