// Ctrl-S in the YAML view: the text goes to a file under $TIMONEIRO_DUMP_DIR, or the OS's temporary directory +
// "timoneiro/"; readable by the user only (a secret may be in it, decoded).
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

/** Where saved files go. */
export function dumpDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.TIMONEIRO_DUMP_DIR;
  return dir !== undefined && dir !== "" ? dir : join(tmpdir(), "timoneiro");
}

/** Writes `text` as `name` (a file name: any directory part is dropped) in `dir`, mode 0600; resolves its path. */
export async function saveText(name: string, text: string, dir: string = dumpDir()): Promise<string> {
  // Loaded on use: node:fs/promises costs 1-5 ms of start-up otherwise.
  const { mkdir, writeFile } = await import("node:fs/promises");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, basename(name));
  await writeFile(path, text, { mode: 0o600 });
  return path;
}
