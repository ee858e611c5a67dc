// V8's young generation, capped for the CLI. By default V8 lets each of its two semi-spaces grow to 32 MB on a 64-bit
// machine, and a sync of 100k pods, which allocates hundreds of MB of short-lived objects, grows them all the way: at
// 100k pods 50–100 MB of the UI's RSS was young generation, nearly empty after the sync. Capped at 8 MB, the objects
// that die young still die young (a decoded pod lives for one chunk), scavenges touch less memory, and the sync used
// less CPU, not more (bench: 4.3 s → 3.2 s of CPU for 100k pods). The cap can only be set when V8 starts (a flag set at
// run time is ignored for the heap already configured), so the entry re-executes itself with it: process.execve
// replaces the process image in place, same pid, same terminal, no child to supervise. No imports: the entry runs this
// before anything else loads.

/** The flag the CLI runs with. */
export const YOUNG_GENERATION_FLAG = "--max-semi-space-size=8";

/** What re-executing depends on, passed in so that tests can try every case. */
export interface ProcessFacts {
  execPath: string;
  /** Node's own flags of this process (process.execArgv). */
  execArgv: readonly string[];
  /** process.argv: the node binary, the script, its arguments. */
  argv: readonly string[];
  /** NODE_OPTIONS, if set. */
  nodeOptions: string | undefined;
  platform: string;
  /** process.execve exists (Node ≥ 23.11, not on Windows). */
  canExecve: boolean;
}

/**
 * The argv to re-execute with (execPath first), or undefined to go on as is: the flag is already there (this is the
 * re-executed process, or the user chose a size of their own, on the command line or in NODE_OPTIONS), or the platform
 * cannot replace a process image.
 */
export function reexecArgv(p: ProcessFacts): string[] | undefined {
  if (!p.canExecve || p.platform === "win32") return undefined;
  const chosen = (flag: string) => flag.startsWith("--max-semi-space-size") || flag.startsWith("--max_semi_space_size");
  if (p.execArgv.some(chosen)) return undefined;
  if (p.nodeOptions?.split(/\s+/).some(chosen)) return undefined;
  return [p.execPath, YOUNG_GENERATION_FLAG, ...p.execArgv, ...p.argv.slice(1)];
}
