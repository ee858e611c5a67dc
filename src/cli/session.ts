// One connection to one kubeconfig context: its repository (the informers) and a transport for the app's one-off
// requests (GET of one object). Switching contexts builds a new session in the background and hands it over only
// once it answers, so the UI never blocks on a dead cluster and the current context stays usable meanwhile.

import type { ContextInfo } from "../app/effects.ts";
import { KubeError, oneLine } from "../kube/errors.ts";
import { type KubeconfigOptions, loadKubeconfig } from "../kube/kubeconfig.ts";
import type { Transport } from "../kube/transport.ts";
import { type InformerOptions, InformerRepository, transportFor } from "../repository/informer-repository.ts";

/** The repository of a context, and what the app's effects need besides it. */
export interface Session {
  readonly repo: InformerRepository;
  /** The context's default namespace (kubectl's), where the UI starts unless -A or -n says otherwise. */
  readonly contextNamespace: string | undefined;
  /** GET one object by its API path; resolves with the parsed JSON. */
  get(path: string): Promise<unknown>;
  stop(): Promise<void>;
}

/** Builds a session (never contacts the server: the repository's informers do that once started). */
export async function openSession(config: KubeconfigOptions, options: InformerOptions): Promise<Session> {
  const loaded = loadKubeconfig(config);
  const repo = await InformerRepository.fromKubeconfig(config, options);
  let transport: Transport | undefined;
  return {
    repo,
    contextNamespace: loaded.namespace,
    async get(path) {
      transport ??= await transportFor(loaded);
      const res = await transport.request(path, { accept: "application/json" });
      return JSON.parse(res.body.toString("utf8"));
    },
    async stop() {
      transport?.close();
      await repo.stopAndWait();
    },
  };
}

/** The kubeconfig's contexts, as `:ctx` lists them. */
export function listContexts(config: KubeconfigOptions): { contexts: ContextInfo[]; current: string } {
  const loaded = loadKubeconfig(config);
  const raw = (loaded.merged.contexts ?? []) as { name?: unknown; context?: Record<string, unknown> }[];
  const contexts = raw.map((c) => ({
    name: String(c.name ?? ""),
    cluster: String(c.context?.cluster ?? ""),
    user: String(c.context?.user ?? ""),
    namespace: typeof c.context?.namespace === "string" && c.context.namespace ? c.context.namespace : undefined,
  }));
  return { contexts, current: loaded.contextName };
}

/** How long a new context may take to show its first pods before the switch is given up. */
export const SWITCH_TIMEOUT_MS = 20_000;

export interface SwitchCallbacks {
  progress(text: string): void;
  /** The new session answers: switch to it. */
  ready(session: Session): void;
  failed(error: string): void;
}

/**
 * Connects to `context` in the background: ready() once its first page of pods is in (or pods are synced, or the
 * user may not list pods cluster-wide but the server answers), failed() on an error a retry will not fix or when
 * nothing comes within SWITCH_TIMEOUT_MS. Returns a function that abandons the attempt.
 */
export function switchContext(
  config: KubeconfigOptions,
  options: InformerOptions,
  callbacks: SwitchCallbacks,
  timeoutMs = SWITCH_TIMEOUT_MS,
): () => void {
  let abandoned = false;
  let session: Session | undefined;
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe = () => {};
  const end = () => {
    clearTimeout(timer);
    unsubscribe();
  };
  const fail = (error: string) => {
    if (abandoned) return;
    abandoned = true;
    end();
    void session?.stop();
    callbacks.failed(error);
  };
  void (async () => {
    try {
      session = await openSession(config, options);
    } catch (err) {
      fail(err instanceof KubeError ? oneLine(err) : String(err));
      return;
    }
    if (abandoned) {
      void session.stop();
      return;
    }
    const repo = session.repo;
    const check = () => {
      if (abandoned || !session) return;
      const pods = repo.status({ kind: "pods", namespace: repo.namespace });
      if (pods.synced || pods.count > 0) {
        abandoned = true;
        end();
        callbacks.ready(session);
      } else if (pods.error) {
        callbacks.progress(`pods: ${pods.error}`);
      }
    };
    unsubscribe = repo.subscribe(check);
    timer = setTimeout(() => {
      const pods = repo.status({ kind: "pods", namespace: repo.namespace });
      fail(pods.error ?? `no answer from ${repo.server} in ${Math.round(timeoutMs / 1000)} s`);
    }, timeoutMs);
    repo.startPriority().then(check, (err: unknown) => {
      // Forbidden to list pods cluster-wide is an answer: the pods view says so, and a namespace the user may read
      // (`:pods NAMESPACE`) works.
      if (err instanceof KubeError && err.status === 403 && session && !abandoned) {
        abandoned = true;
        end();
        callbacks.ready(session);
        return;
      }
      fail(err instanceof KubeError ? oneLine(err) : String(err));
    });
    check();
  })();
  return () => {
    if (abandoned) return;
    abandoned = true;
    end();
    void session?.stop();
  };
}
