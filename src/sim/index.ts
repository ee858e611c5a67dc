// Timoneiro's simulated Kubernetes API server: product code behind `timoneiro --demo`, `timoneiro sim`, the tests and
// the benchmarks. See server.ts for the options and the live controls.
export type { FaultControls, FaultSpec } from "./faults.ts";
export { parseFaults } from "./faults.ts";
export type { PodState } from "./generate.ts";
export type { SimOptions, SimServer, SimStore, SimUser } from "./server.ts";
export { startSimServer } from "./server.ts";
