// Start-up progress: "Syncing pods..." with a live count, then "Pods synced! Starting UI...".
// Nobody waits for the full sync: the UI opens as soon as the first page of pods is in hand (a small cluster's only
// page is the whole of it, so it simply appears synced), and the header shows the rest streaming in. It used to wait
// at least 300 ms as well, which was most of the first frame's time.
import type { InformerRepository } from "../repository/informer-repository.ts";

export interface StartupResult {
  synced: boolean;
  count: number;
  elapsedMs: number;
}

export function waitForFirstPods(
  repo: InformerRepository,
  out: NodeJS.WritableStream & { isTTY?: boolean },
): Promise<StartupResult> {
  const started = performance.now();
  const live = out.isTTY === true;
  let lastLine = "";
  const show = (line: string, final = false) => {
    if (live) out.write(`\r\x1b[K${line}${final ? "\n" : ""}`);
    else if (final || line !== lastLine) out.write(`${line}\n`);
    lastLine = line;
  };
  show("Syncing pods...");

  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const check = () => {
      if (done) return;
      const status = repo.getLoadingStatus("pods");
      const elapsedMs = Math.round(performance.now() - started);
      const ready = status.synced || status.count > 0;
      if (!ready) {
        const retrying = status.error ? ` (retrying: ${status.error})` : "";
        show(`Syncing pods... ${status.count}${retrying}`);
        return;
      }
      done = true;
      clearInterval(timer);
      unsubscribe();
      if (status.synced) show(`Pods synced! Starting UI... (${status.count} pods in ${elapsedMs} ms)`, true);
      else show(`First ${status.count} pods in ${elapsedMs} ms! Starting UI while the rest load...`, true);
      resolve({ synced: status.synced, count: status.count, elapsedMs });
    };
    const unsubscribe = repo.subscribe(check);
    timer = setInterval(check, 50);
    repo.startPriority().then(check, (err: unknown) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      unsubscribe();
      if (live) out.write("\n");
      reject(err);
    });
  });
}
