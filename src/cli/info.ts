// `timoneiro info`: every path timoneiro uses (the config folder and its files, the kubeconfig files as resolved, where
// saved YAML goes, the caches) and the problems of the config files.
import { existsSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { VERSION } from "./args.ts";
import { builtinKeys } from "./config/builtin.ts";
import { CONFIG_FILES, configDir, loadConfig } from "./config/index.ts";
import { dumpDir } from "./save.ts";

const found = (path: string) => (existsSync(path) ? "found" : "not found");

/** The kubeconfig files kubectl would read, with where the choice came from. */
export function kubeconfigFiles(
  kubeconfig: string | undefined,
  env: NodeJS.ProcessEnv,
): { from: string; files: string[] } {
  if (kubeconfig) return { from: "--kubeconfig", files: [kubeconfig] };
  if (env.KUBECONFIG) return { from: "$KUBECONFIG", files: env.KUBECONFIG.split(delimiter).filter((p) => p !== "") };
  return { from: "default", files: [join(env.HOME || homedir(), ".kube", "config")] };
}

export function infoText(options: { kubeconfig?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const env = options.env ?? process.env;
  const { dir, from } = configDir(env);
  const lines = [`timoneiro ${VERSION}`, "", `config dir:   ${dir} (${from}; ${found(dir)})`];
  for (const name of CONFIG_FILES) {
    const path = join(dir, name);
    lines.push(`  ${name.padEnd(13)} ${path} (${found(path)})`);
  }
  const kube = kubeconfigFiles(options.kubeconfig, env);
  lines.push(`kubeconfig:   (${kube.from})`);
  for (const file of kube.files) lines.push(`  ${file} (${found(file)})`);
  if (kube.from === "default" && !existsSync(kube.files[0] as string) && env.KUBERNETES_SERVICE_HOST) {
    lines.push("  in-cluster service account (/var/run/secrets/kubernetes.io/serviceaccount)");
  }
  lines.push(`saved YAML:   ${dumpDir(env)} ($TIMONEIRO_DUMP_DIR, Ctrl-S in the YAML view)`);
  const compileCache = env.NODE_COMPILE_CACHE || join(tmpdir(), "node-compile-cache");
  lines.push(`caches:       ${compileCache} (Node.js's compile cache; $NODE_COMPILE_CACHE)`);
  const config = loadConfig({ env, builtinKeys });
  lines.push("");
  if (config.problems.length === 0) lines.push("config: no problems");
  else {
    lines.push(`config: ${config.problems.length} problem${config.problems.length === 1 ? "" : "s"}`);
    for (const problem of config.problems) lines.push(`  ${problem}`);
  }
  const counts = [
    `${Object.keys(config.aliases).length} aliases`,
    `${config.hotkeys.length} hotkeys`,
    `${config.plugins.length} plugins`,
  ];
  lines.push(`loaded: ${counts.join(", ")}${config.readOnly ? ", read-only" : ""}`);
  return lines.join("\n");
}
