// Wires the app to the terminal: the app's program runs in the runtime, and its effects are carried out here (GET
// of one object, the kubeconfig's contexts, switching contexts).

import { spawn } from "node:child_process";
import type { OpenStream } from "../app/effects.ts";
import { appProgram } from "../app/program.ts";
import type { RootEffect, RootMsg } from "../app/root.ts";
import { isReadOnly, type UserConfig } from "../app/user-config.ts";
import { oneLine } from "../kube/errors.ts";
import type { KubeconfigOptions } from "../kube/kubeconfig.ts";
import type { InformerOptions } from "../repository/informer-repository.ts";
import type { Repository } from "../repository/types.ts";
import { type FrameInfo, runProgram, type TerminalEffect, type UiInput, type UiOutput } from "../tui/run.ts";
import { editorCommand, readTextFile, removeTempFile, writeTempFile } from "./edit-files.ts";
import { PortForwards } from "./port-forwards.ts";
import { dumpDir, saveText } from "./save.ts";
import { listContexts, type Session, switchContext } from "./session.ts";
import { openTerminalSession } from "./terminal-session.ts";

export interface AppRunOptions {
  stdin: UiInput;
  stdout: UiOutput;
  /** GET by path (a session's); absent: the app says requests are not available (static repositories). */
  get?: (path: string) => Promise<unknown>;
  /** Streams by path (a session's: pod logs); absent: the logs view says streams are not available. */
  stream?: OpenStream;
  /** The config folder's settings (aliases, hotkeys, plugins...); absent: none. */
  userConfig?: UserConfig;
  /** How to reach other contexts; absent: `:ctx` says there is no kubeconfig. */
  kubeconfig?: { config: KubeconfigOptions; options: InformerOptions; session: Session };
  now?: () => number;
  minDataIntervalMs?: number;
  escapeTimeoutMs?: number;
  handleProcessEvents?: boolean;
  onFrame?: (frame: FrameInfo) => void;
  onExit?: (code: number) => void;
  suspendProcess?: () => void;
  /** The first view's kind (default pods). */
  kind?: string;
  /** Where Ctrl-S saves (default: $TIMONEIRO_DUMP_DIR, else the OS's temporary directory + timoneiro/). */
  dumpDir?: string;
  /** The first namespace scope; undefined for all namespaces. */
  namespace?: string | undefined;
  /** -A: every context starts on all namespaces, whatever its default namespace. */
  allNamespaces?: boolean;
}

/**
 * Runs the app on `repo` until the user quits; resolves with the exit code. The caller owns the repository it gave;
 * sessions opened by switching contexts are owned here and stopped when replaced or at the end.
 */
export async function runApp(repo: Repository, opts: AppRunOptions): Promise<number> {
  let get = opts.get;
  let stream = opts.stream;
  let current: Session | undefined = opts.kubeconfig?.session;
  const owned = new Set<Session>();
  let abandonSwitch: (() => void) | undefined;
  // Port forwards belong to the session whose transport they use: a context switch stops the old session's ones
  // (their credentials and cluster are that context's), and so does the end of the app. Only the current session's
  // list is sent to the app.
  const forwards = new Map<Session, PortForwards>();
  let sendForwards: (msg: RootMsg) => void = () => {};
  const forwardsOf = (session: Session): PortForwards => {
    let manager = forwards.get(session);
    if (!manager) {
      manager = new PortForwards({
        transport: () => session.transport(),
        send: (list) => {
          if (session === current) sendForwards({ type: "forwards", forwards: list });
        },
      });
      forwards.set(session, manager);
    }
    return manager;
  };
  const stopForwards = async (session: Session | undefined) => {
    const manager = session && forwards.get(session);
    if (!manager || !session) return;
    forwards.delete(session);
    await manager.stopAll();
  };

  const perform = (effect: RootEffect, send: (msg: RootMsg) => void, terminal: (effect: TerminalEffect) => void) => {
    sendForwards = send;
    switch (effect.type) {
      case "get": {
        if (!get) {
          send({ type: "result", id: effect.id, value: undefined, error: "no API server behind this repository" });
          return;
        }
        get(effect.path).then(
          (value) => send({ type: "result", id: effect.id, value }),
          (err: unknown) => send({ type: "result", id: effect.id, value: undefined, error: oneLine(err) }),
        );
        return;
      }
      case "listContexts": {
        if (!opts.kubeconfig) {
          send({
            type: "contexts",
            contexts: [],
            current: repo.contextName,
            error: "no kubeconfig: contexts are not available here",
          });
          return;
        }
        try {
          const { contexts } = listContexts(opts.kubeconfig.config);
          send({ type: "contexts", contexts, current: current?.repo.contextName ?? repo.contextName });
        } catch (err) {
          send({ type: "contexts", contexts: [], current: repo.contextName, error: oneLine(err) });
        }
        return;
      }
      case "switchContext": {
        const kc = opts.kubeconfig;
        if (!kc) {
          send({ type: "contextFailed", name: effect.name, error: "no kubeconfig: contexts are not available here" });
          return;
        }
        abandonSwitch?.();
        const name = effect.name;
        // -n applies to the first context only; another context starts in its own default namespace scope.
        const { namespace: _first, ...options } = kc.options;
        abandonSwitch = switchContext({ ...kc.config, context: name }, options, {
          progress: (text) => send({ type: "contextProgress", name, text }),
          failed: (error) => send({ type: "contextFailed", name, error }),
          ready: (session) => {
            const previous = current;
            current = session;
            owned.add(session);
            get = (path) => session.get(path);
            stream = session.stream;
            const namespace = opts.allNamespaces ? undefined : session.contextNamespace;
            send({ type: "contextReady", name, repo: session.repo, namespace });
            const hadForwards = previous !== undefined && (forwards.get(previous)?.list().length ?? 0) > 0;
            void stopForwards(previous);
            if (hadForwards) send({ type: "forwards", forwards: [] });
            // The runtime has released the old repository's informers by now; stop it (if it is ours).
            if (previous && owned.has(previous)) {
              owned.delete(previous);
              void previous.stop();
            } else if (previous) {
              previous.repo.stop();
            }
          },
        });
        return;
      }
      case "rediscover": {
        const refresh = current?.repo.refreshKinds.bind(current.repo);
        const done = () => send({ type: "rediscovered", command: effect.command });
        if (refresh) refresh().then(done, done);
        else done();
        return;
      }
      case "spawn": {
        // A background plugin: detached, no terminal; its end is reported on the message line.
        const id = effect.id;
        try {
          const child = spawn(effect.command, [...effect.args], {
            detached: true,
            stdio: "ignore",
            env: { ...process.env, ...effect.env },
          });
          child.once("error", (err) => send({ type: "exited", id, code: null, error: err.message }));
          child.once("exit", (code, signal) =>
            send(signal ? { type: "exited", id, code, signal } : { type: "exited", id, code }),
          );
          child.unref();
        } catch (err) {
          send({ type: "exited", id, code: null, error: oneLine(err) });
        }
        return;
      }
      case "write": {
        const session = current;
        // The app offers no write in read-only mode; this is the guard behind it.
        if (opts.userConfig && isReadOnly(opts.userConfig, session?.repo.contextName ?? repo.contextName)) {
          send({ type: "result", id: effect.id, value: undefined, error: "read-only: writes are not allowed" });
          return;
        }
        if (!session) {
          send({ type: "result", id: effect.id, value: undefined, error: "no API server behind this repository" });
          return;
        }
        session.write(effect.request).then(
          (value) => send({ type: "result", id: effect.id, value }),
          (err: unknown) => send({ type: "result", id: effect.id, value: undefined, error: oneLine(err) }),
        );
        return;
      }
      case "terminal": {
        // Connected first, with the UI still up (a refusal is only a message); then the terminal is handed over.
        const session = current;
        const id = effect.id;
        // The app offers no shell or attach in read-only mode; this is the guard behind it.
        if (opts.userConfig && isReadOnly(opts.userConfig, session?.repo.contextName ?? repo.contextName)) {
          send({ type: "exited", id, code: null, error: "read-only: shell and attach are not allowed" });
          return;
        }
        if (!session) {
          send({ type: "exited", id, code: null, error: "no API server behind this repository" });
          return;
        }
        session
          .transport()
          .then((transport) => openTerminalSession(transport, effect.target))
          .then(
            (connected) => terminal({ type: "handover", id, session: connected }),
            (err: unknown) => send({ type: "exited", id, code: null, error: oneLine(err) }),
          );
        return;
      }
      case "portForward": {
        const session = current;
        const id = effect.id;
        // The app offers no forward in read-only mode (create pods/portforward is a write); this is the guard behind it.
        if (opts.userConfig && isReadOnly(opts.userConfig, session?.repo.contextName ?? repo.contextName)) {
          send({ type: "result", id, value: undefined, error: "read-only: port-forwards are not allowed" });
          return;
        }
        if (!session) {
          send({ type: "result", id, value: undefined, error: "no API server behind this repository" });
          return;
        }
        forwardsOf(session)
          .start(effect.spec)
          .then(
            (value) => send({ type: "result", id, value }),
            (err: unknown) => send({ type: "result", id, value: undefined, error: oneLine(err) }),
          );
        return;
      }
      case "stopPortForward":
        if (current) void forwardsOf(current).stop(effect.forwardId);
        return;
      case "tempFile":
        writeTempFile(effect.name, effect.text).then(
          (path) => send({ type: "result", id: effect.id, value: path }),
          (err: unknown) => send({ type: "result", id: effect.id, value: undefined, error: oneLine(err) }),
        );
        return;
      case "readFile":
        readTextFile(effect.path).then(
          (text) => send({ type: "result", id: effect.id, value: text }),
          (err: unknown) => send({ type: "result", id: effect.id, value: undefined, error: oneLine(err) }),
        );
        return;
      case "removeFile":
        void removeTempFile(effect.path).catch(() => {});
        return;
      case "timer":
        setTimeout(() => send({ type: "result", id: effect.id, value: undefined }), effect.ms).unref();
        return;
      case "save": {
        saveText(effect.path, effect.text, opts.dumpDir ?? dumpDir()).then(
          (path) => send({ type: "result", id: effect.id, value: path }),
          (err: unknown) => send({ type: "result", id: effect.id, value: undefined, error: oneLine(err) }),
        );
        return;
      }
      default:
        return;
    }
  };

  const code = await runProgram(
    appProgram(repo, {
      ...(opts.now && { now: opts.now }),
      ...(opts.minDataIntervalMs !== undefined && { minDataIntervalMs: opts.minDataIntervalMs }),
      ...(opts.kind && { kind: opts.kind }),
      namespace: opts.namespace,
      ...(opts.userConfig && { config: opts.userConfig }),
      editor: editorCommand(),
      openStream: (path, send) => {
        if (stream) return stream(path, send);
        send({ event: "error", error: "no API server behind this repository: streams are not available" });
        return () => {};
      },
    }),
    {
      stdin: opts.stdin,
      stdout: opts.stdout,
      perform,
      ...(opts.now && { now: opts.now }),
      ...(opts.escapeTimeoutMs !== undefined && { escapeTimeoutMs: opts.escapeTimeoutMs }),
      ...(opts.handleProcessEvents !== undefined && { handleProcessEvents: opts.handleProcessEvents }),
      ...(opts.onFrame && { onFrame: opts.onFrame }),
      ...(opts.onExit && { onExit: opts.onExit }),
      ...(opts.suspendProcess && { suspendProcess: opts.suspendProcess }),
    },
  );
  abandonSwitch?.();
  await Promise.all([...forwards.keys()].map(stopForwards));
  await Promise.all([...owned].map((s) => s.stop()));
  return code;
}
