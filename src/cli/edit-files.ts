// The files and the editor of `e` (edit): a private temporary file per edit (its own 0700 folder, the file 0600: a
// Secret's data is in it), and the editor kubectl would run ($KUBE_EDITOR, then $EDITOR, else vi).
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

/** node:fs/promises, loaded on the first edit rather than with the program (1-5 ms of start-up). */
const fsp = () => import("node:fs/promises");

/** Writes `text` to a new private file named like `name`; resolves with its path. */
export async function writeTempFile(name: string, text: string, root = tmpdir()): Promise<string> {
  const { mkdtemp, writeFile } = await fsp();
  const dir = await mkdtemp(join(root, "timoneiro-edit-"));
  // Only the base name, with nothing a shell or a path could misread.
  const safe = basename(name).replace(/[^A-Za-z0-9._-]/g, "_") || "object.yaml";
  const path = join(dir, safe);
  await writeFile(path, text, { mode: 0o600 });
  return path;
}

export async function readTextFile(path: string): Promise<string> {
  const { readFile } = await fsp();
  return await readFile(path, "utf8");
}

/** Removes a file written by writeTempFile, and its folder. */
export async function removeTempFile(path: string): Promise<void> {
  const dir = dirname(path);
  if (!basename(dir).startsWith("timoneiro-edit-")) return;
  const { rm } = await fsp();
  await rm(dir, { recursive: true, force: true });
}

/**
 * The editor command, the file to be appended: $KUBE_EDITOR, then $EDITOR, else vi. A value with spaces ("code
 * --wait") runs through the shell, as kubectl runs it.
 */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  const editor = (env.KUBE_EDITOR || env.EDITOR || "vi").trim();
  if (!/\s/.test(editor)) return [editor];
  // sh -c 'EDITOR "$1"' sh FILE: the file's path is never parsed by the shell.
  return ["sh", "-c", `${editor} "$1"`, "sh"];
}
