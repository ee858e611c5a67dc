// The app's running port forwards: started and stopped by its effects, listed by `:pf`. Every change (a forward
// started or stopped, a connection opened, closed or failed) is sent to the app as the whole list, so the view only
// ever reads ctx.forwards. One manager per session: a forward uses its context's transport (credentials), so it is
// stopped with that session (context switch, quit).
import type { ActiveForward, ForwardSpec } from "../app/effects.ts";
import { checkPortForward, type PortForward, startPortForward } from "../kube/portforward.ts";
import type { Transport } from "../kube/transport.ts";

/** What the manager needs from the runtime. */
export interface PortForwardsOptions {
  /** The session's transport (Session.transport()). */
  transport: () => Promise<Transport>;
  /** Receives the list after every change (the app's "forwards" message). */
  send: (forwards: readonly ActiveForward[]) => void;
  /** Epoch ms (for `since`); default Date.now. */
  now?: () => number;
  /** Check the pod and the user's rights before listening (default true; see checkPortForward). */
  check?: boolean;
}

interface Running {
  spec: ForwardSpec;
  id: string;
  since: number;
  forward: PortForward;
}

/** Starts, stops and lists the forwards of one session. */
export class PortForwards {
  private readonly options: PortForwardsOptions;
  private readonly running = new Map<string, Running>();
  private next = 1;
  private closed = false;

  constructor(options: PortForwardsOptions) {
    this.options = options;
  }

  /** Checks, listens and reports; resolves with the forward as `:pf` lists it, or rejects with a one-line error. */
  async start(spec: ForwardSpec): Promise<ActiveForward> {
    if (this.closed) throw new Error("port forwards are stopped (the context was left)");
    const transport = await this.options.transport();
    if (this.options.check ?? true) await checkPortForward(transport, spec.namespace, spec.pod);
    const id = `pf-${this.next++}`;
    const forward = await startPortForward(transport, spec, { onChange: () => this.changed() });
    if (this.closed) {
      await forward.stop();
      throw new Error("port forwards are stopped (the context was left)");
    }
    // The bound ports replace the asked ones (a local port 0 becomes the one the system chose).
    const running: Running = {
      spec: { ...spec, ports: forward.ports },
      id,
      since: (this.options.now ?? Date.now)(),
      forward,
    };
    this.running.set(id, running);
    this.changed();
    return this.describe(running);
  }

  /** Stops one forward (its listeners and connections); an unknown id is a no-op. */
  async stop(id: string): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    this.running.delete(id);
    await running.forward.stop();
    this.changed();
  }

  /** Stops every forward, and refuses new ones from now on (the session ends). */
  async stopAll(): Promise<void> {
    this.closed = true;
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.all(all.map((r) => r.forward.stop()));
    if (all.length > 0) this.options.send([]);
  }

  /** The running forwards, oldest first. */
  list(): ActiveForward[] {
    return [...this.running.values()].map((r) => this.describe(r));
  }

  private describe(r: Running): ActiveForward {
    const lastError = r.forward.lastError();
    return {
      ...r.spec,
      id: r.id,
      since: r.since,
      connections: r.forward.connections(),
      ...(lastError !== undefined && { lastError }),
    };
  }

  private changed(): void {
    this.options.send(this.list());
  }
}
