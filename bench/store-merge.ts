// What a metrics poll's rows cost the table's next read: N rows in the store, R of them replaced in place (a copy
// with new usage figures, as a poll of 100k pods makes), then list(), 30 rounds.
//   node bench/store-merge.ts [--rows 100000] [--replaced 30000] [--root DIR]   (DIR: another checkout, to compare)
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    replaced: { type: "string", default: "30000" },
    root: { type: "string", default: new URL("..", import.meta.url).pathname },
  },
});

interface Row {
  namespace: string;
  name: string;
  uid: string;
  createdAt: number;
  cpu: number;
}

const { RowStore } = (await import(`${values.root}/src/kube/store.ts`)) as typeof import("../src/kube/store.ts");
const N = Number(values.rows);
const R = Number(values.replaced);
const store = new RowStore<Row>();
const rows: Row[] = [];
for (let i = 0; i < N; i++) {
  const row = {
    namespace: `ns-${i % 300}`,
    name: `pod-${i}-abcdefghij-klmno`,
    uid: `u${i}`,
    createdAt: 1e12 + ((i * 7919) % N) * 1000,
    cpu: 0,
  };
  rows.push(row);
  store.upsert(row);
}
store.list();
const times: number[] = [];
for (let round = 0; round < 30; round++) {
  for (let j = 0; j < R; j++) {
    const i = (round * 7 + j * 3) % N;
    const row = { ...(rows[i] as Row), cpu: round };
    rows[i] = row;
    store.replace(row);
  }
  const t0 = performance.now();
  const snapshot = store.list();
  times.push(performance.now() - t0);
  if (snapshot.length !== N) throw new Error(`the snapshot has ${snapshot.length} rows, not ${N}`);
}
times.sort((a, b) => a - b);
const ms = (v: number | undefined) => (v ?? 0).toFixed(1);
console.log(
  `${N} rows, ${R} replaced in place: list() p50 ${ms(times[15])} ms, min ${ms(times[0])}, max ${ms(times[29])}`,
);
