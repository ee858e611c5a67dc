// The executable's entry: it checks the Node.js version before anything else loads, because the rest needs a current
// Node (on an old one it failed deep inside a dependency, with a stack trace). The program itself is loaded only
// after the check.
import module from "node:module";
import { nodeIsSupported, unsupportedNodeMessage } from "./node-version.ts";

if (!nodeIsSupported(process.versions.node)) {
  process.stderr.write(`${unsupportedNodeMessage(process.versions.node)}\n`);
  process.exit(1);
}
// V8's code cache on disk makes every start after the first noticeably faster; enabled here, before the program loads,
// so that the program's own modules are cached too and not only those loaded after main.ts.
module.enableCompileCache?.();
await import("./main.ts");
