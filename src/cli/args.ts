// Command-line flags. Kept dependency-free: parsing a dozen flags is not worth a library on the start-up path.

export const VERSION = "0.1.0";

export interface CliOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** -A: start on all namespaces even when the context names a default one. */
  allNamespaces?: boolean;
  /** --readonly: no write action at all (delete, scale, edit, shell, port-forward…), whatever the config says. */
  readOnly?: boolean;
  demo: boolean;
  pods: number;
  churn: number;
  listMode?: "list" | "watchlist" | "auto";
  wire?: "json" | "protobuf";
  /** --skin NAME: a built-in skin or the config folder's skins/NAME.yaml (wins over config.yaml's skin:). */
  skin?: string;
  help: boolean;
  version: boolean;
}

export const HELP = `timoneiro ${VERSION} — an ultra-fast terminal UI for Kubernetes

Usage:
  timoneiro [--kubeconfig PATH] [--context NAME] [-n NAMESPACE | -A]
  timoneiro --demo [--pods N] [--churn EVENTS_PER_S]
  timoneiro info [--kubeconfig PATH]
  timoneiro sim --pods N [--churn EVENTS_PER_S] [--port P] [--seed S] [--kubeconfig-out FILE] [--faults LIST]

Options:
  --kubeconfig PATH     kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)
  --context NAME        kubeconfig context to use (default: the current context)
  -n, --namespace NS    watch one namespace only (for users who may not list cluster-wide)
  -A, --all-namespaces  start on all namespaces (default: the context's namespace if it sets one, else all);
                        0-9 and :ns switch at run time
  --readonly            no write action (delete, scale, restart, edit, shell, attach, port-forward...): the keys
                        are gone and the writes refused (also readOnly: true in config.yaml, per context or for all)
  --demo                run against a built-in simulated cluster (no cluster needed)
  --pods N              pods in the demo cluster (default 2000)
  --churn N             demo cluster events per second (default 20)
  --list-mode MODE      initial load: list (paginated LIST), watchlist, or auto (default: list)
  --wire FORMAT         pods wire format: protobuf (falls back to JSON if the server lacks it) or json
                        (default: protobuf)
  --skin NAME           the UI's colours: default, light, high-contrast, basic16, or a skin file
                        skins/NAME.yaml in the config folder (NO_COLOR=1: no colours at all)
  -h, --help            show this help
  --version             print the version

Commands:
  info                  print every path used (config folder and files, kubeconfig files, saved YAML, caches)
                        and the problems found in the config files
  sim                   run the simulated API server in the foreground (see \`timoneiro sim --help\`)

Keys (in the UI): ↑/↓ j/k move, Enter opens (a deployment's pods, a pod's containers, ...), Esc back,
  / filter (~fuzzy, !exclude, -l labels), : command (any kind: :deploy, :jobs, :crd, a CRD; :ctx contexts;
  :pulse, :top, :pf; :q), 0-9 namespaces, Shift-N/A/S/T/P sort, Space marks, Ctrl-D delete, e edit, s shell or
  scale, l logs, Shift-F port-forward, ? every key of the view, q or Ctrl-C quit.`;

export class UsageError extends Error {}

export function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = { demo: false, pods: 2000, churn: 20, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const count = (): number => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} needs a whole number, got "${raw}"`);
      return n;
    };
    switch (flag) {
      case "--kubeconfig":
        options.kubeconfig = value();
        break;
      case "--context":
        options.context = value();
        break;
      case "-n":
      case "--namespace":
        options.namespace = value();
        break;
      case "-A":
      case "--all-namespaces":
        options.allNamespaces = true;
        break;
      case "--readonly":
        options.readOnly = true;
        break;
      case "--demo":
        options.demo = true;
        break;
      case "--pods":
        options.pods = count();
        break;
      case "--churn":
        options.churn = count();
        break;
      case "--list-mode": {
        const mode = value();
        if (mode !== "list" && mode !== "watchlist" && mode !== "auto") {
          throw new UsageError(`--list-mode must be list, watchlist or auto, got "${mode}"`);
        }
        options.listMode = mode;
        break;
      }
      case "--wire": {
        const wire = value();
        if (wire !== "json" && wire !== "protobuf")
          throw new UsageError(`--wire must be json or protobuf, got "${wire}"`);
        options.wire = wire;
        break;
      }
      case "--skin":
        options.skin = value();
        break;
      case "-h":
      case "--help":
        options.help = true;
        break;
      case "--version":
        options.version = true;
        break;
      default:
        throw new UsageError(arg.startsWith("-") ? `unknown flag ${arg}` : `unexpected argument "${arg}"`);
    }
  }
  if (options.allNamespaces && options.namespace !== undefined) {
    throw new UsageError("-A and -n are exclusive: -n watches one namespace, -A starts on all of them");
  }
  return options;
}
