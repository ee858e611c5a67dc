// Entry point of the `timoneiro` executable.
const VERSION = "0.1.0";

function main(argv: string[]): number {
  if (argv.includes("--version")) {
    console.log(`timoneiro ${VERSION}`);
    return 0;
  }
  console.log("usage: timoneiro [--kubeconfig PATH] [--context NAME] [--demo [--pods N]] [--version] [--help]");
  return 0;
}

process.exitCode = main(process.argv.slice(2));
