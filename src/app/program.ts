// The app as a terminal program: the root's update and view, the subscriptions that keep the views' informers
// running and bring repository changes in, the tick rate and the idle work. The runtime (tui/) runs it; the CLI
// gives it a repository and carries out its effects.
import type { Repository } from "../repository/types.ts";
import type { Program, Subscription } from "../tui/run.ts";
import type { OpenStream } from "./effects.ts";
import { isLoading } from "./paint.ts";
import {
  heldQueries,
  heldStreams,
  idleWork,
  newRootModel,
  type RootEffect,
  type RootModel,
  type RootMsg,
  update,
  view,
} from "./root.ts";
import type { UserConfig } from "./user-config.ts";

export interface AppOptions {
  /** Clock (epoch ms) for data messages; tests pass a fixed one. */
  now?: () => number;
  /** Minimum time between frames caused by repository changes (default 100 ms: at most 10 frames/s). */
  minDataIntervalMs?: number;
  /** The first view's kind (default pods). */
  kind?: string;
  /** The first namespace scope; undefined for all namespaces. */
  namespace?: string | undefined;
  /** Opens the views' streams (pod logs); absent: a stream fails at once, saying streams are not available. */
  openStream?: OpenStream;
  /** The user's configuration (cli/config/ reads it). */
  config?: UserConfig;
  /** The editor command for `e` (the file's path is appended). */
  editor?: readonly string[];
}

const NO_STREAMS: OpenStream = (_path, send) => {
  send({ event: "error", error: "no API server behind this repository: streams are not available" });
  return () => {};
};

export function appProgram(repo: Repository, options: AppOptions = {}): Program<RootModel, RootMsg, RootEffect> {
  const now = options.now ?? Date.now;
  const coalesceMs = options.minDataIntervalMs ?? 100;
  return {
    init: (size, at) =>
      newRootModel(repo, {
        ...size,
        now: at,
        namespace: options.namespace,
        ...(options.kind && { kind: options.kind }),
        ...(options.config && { config: options.config }),
        ...(options.editor && { editor: options.editor }),
      }),
    update,
    view,
    subscriptions(model) {
      const { repo: current, generation } = model;
      const subs: Subscription<RootMsg>[] = [
        {
          key: `changes#${generation}`,
          coalesceMs,
          start: (send) => current.subscribe(() => send({ type: "data", now: now() })),
        },
      ];
      for (const query of heldQueries(model)) {
        subs.push({ key: `hold#${generation}#${JSON.stringify(query)}`, start: () => current.hold(query) });
      }
      const open = options.openStream ?? NO_STREAMS;
      for (const spec of heldStreams(model)) {
        subs.push({
          key: `stream#${generation}#${spec.key}`,
          start: (send) => {
            let stop: (() => void) | undefined;
            let stopped = false;
            const begin = () => {
              if (stopped) return;
              stop = open(spec.path, (event) => {
                if (!stopped) send({ type: "stream", key: spec.key, ...event });
              });
            };
            // A reconnect waits its backoff; the view's key changes with every attempt, so this runs once.
            const timer = spec.delayMs ? setTimeout(begin, spec.delayMs) : undefined;
            if (!timer) begin();
            return () => {
              stopped = true;
              if (timer) clearTimeout(timer);
              stop?.();
            };
          },
        });
      }
      return subs;
    },
    // Spinners turn every 100 ms while something loads; AGE moves every second.
    // (config.yaml's refreshAges: seconds between AGE repaints).
    tickInterval: (model) => (isLoading(model.statuses) ? 100 : Math.max(100, model.config.refreshAges * 1000)),
    idleWork,
  };
}
