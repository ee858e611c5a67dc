// One connection to one kubeconfig context: its repository (the informers) and a transport for the app's one-off
// requests (GET of one object). Switching contexts builds a new session in the background and hands it over only
// once it answers, so the UI never blocks on a dead cluster and the current context stays usable meanwhile.

import { StringDecoder } from "node:string_decoder";
import type { ContextInfo, OpenStream, StreamEvent } from "../app/effects.ts";
import { KubeError, oneLine } from "../kube/errors.ts";
import { type KubeContextInfo, type KubeconfigOptions, loadKubeconfig } from "../kube/kubeconfig.ts";
import type { Transport } from "../kube/transport.ts";
import { type WriteRequest, write } from "../kube/write.ts";
import { type InformerOptions, InformerRepository, transportFor } from "../repository/informer-repository.ts";

/** The repository of a context, and what the app's effects need besides it. */
export interface Session {
  readonly repo: InformerRepository;
  /** The context's default namespace (kubectl's), where the UI starts unless -A or -n says otherwise. */
  readonly contextNamespace: string | undefined;
  /** Every context of the kubeconfig as it was read for this session. */
  readonly contexts: readonly KubeContextInfo[];
  /** GET one object by its API path; resolves with the parsed JSON. */
  get(path: string): Promise<unknown>;
  /** Streams a GET's body (a pod's log with follow=true): text as it comes, then one end; returns its abort. */
  stream: OpenStream;
  /** A write (delete, patch, update, create); resolves with the server's answer, parsed. */
  write(req: WriteRequest): Promise<unknown>;
  /** The context's transport (same credentials as everything else): for exec, attach and port-forward. */
  transport(): Promise<Transport>;
  stop(): Promise<void>;
}

/** A transport's streamed GET as an OpenStream: UTF-8 decoded across chunk boundaries, one end or error. */
export function streamOver(transport: () => Promise<Transport>): OpenStream {
  return (path, send) => {
    const abort = new AbortController();
    let done = false;
    const finish = (event: StreamEvent) => {
      if (done) return;
      done = true;
      if (!abort.signal.aborted) send(event);
    };
    const fail = (err: unknown) =>
      finish({
        event: "error",
        error: err instanceof KubeError ? err.message : oneLine(err),
        ...(err instanceof KubeError && err.status !== undefined && { status: err.status }),
      });
    void (async () => {
      try {
        const t = await transport();
        const res = await t.stream(path, { accept: "*/*", signal: abort.signal });
        const decoder = new StringDecoder("utf8");
        res.on("data", (chunk: Buffer) => {
          const text = decoder.write(chunk);
          if (text && !done && !abort.signal.aborted) send({ event: "chunk", text });
        });
        res.on("end", () => {
          const rest = decoder.end();
          if (rest && !done && !abort.signal.aborted) send({ event: "chunk", text: rest });
          finish({ event: "end" });
        });
        // A connection cut mid-body (server restart) ends the stream too: the view resumes from its last line.
        res.on("error", () => finish({ event: "end" }));
        res.on("close", () => finish({ event: "end" }));
      } catch (err) {
        fail(err);
      }
    })();
    return () => {
      done = true;
      abort.abort();
    };
  };
}

/** Builds a session (never contacts the server: the repository's informers do that once started). */
export async function openSession(config: KubeconfigOptions, options: InformerOptions): Promise<Session> {
  // Read once: parsing the YAML again for the repository cost 2-4 ms more of start-up.
  const loaded = loadKubeconfig(config);
  const repo = await InformerRepository.fromLoaded(loaded, options);
  let transport: Transport | undefined;
  const transportOf = async () => {
    transport ??= await transportFor(loaded);
    return transport;
  };
  return {
    repo,
    contextNamespace: loaded.namespace,
    contexts: loaded.contexts,
    async get(path) {
      transport = await transportOf();
      const res = await transport.request(path, { accept: "application/json" });
      return JSON.parse(res.body.toString("utf8"));
    },
    stream: streamOver(transportOf),
    async write(req) {
      return await write(await transportOf(), req);
    },
    transport: transportOf,
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
