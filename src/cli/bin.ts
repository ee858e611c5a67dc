// The executable's entry: it checks the Node.js version before anything else loads, because the rest needs a current
// Node (on an old one it failed deep inside a dependency, with a stack trace). Then it restarts itself in place with
// V8's young generation capped (see young-generation.ts). The program itself is loaded only after both.
import module from "node:module";
import { nodeIsSupported, unsupportedNodeMessage } from "./node-version.ts";
import { reexecArgv } from "./young-generation.ts";

if (!nodeIsSupported(process.versions.node)) {
  process.stderr.write(`${unsupportedNodeMessage(process.versions.node)}\n`);
  process.exit(1);
}
const argv = reexecArgv({
  execPath: process.execPath,
  execArgv: process.execArgv,
  argv: process.argv,
  nodeOptions: process.env.NODE_OPTIONS,
  platform: process.platform,
  canExecve: typeof process.execve === "function",
});
if (argv !== undefined && process.execve) process.execve(process.execPath, argv, process.env);
// V8's code cache on disk makes every start after the first noticeably faster; enabled here, before the program loads,
// so that the program's own modules are cached too and not only those loaded after main.ts.
module.enableCompileCache?.();
await import("./main.ts");
