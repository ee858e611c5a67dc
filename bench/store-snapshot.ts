// What the table reads after a few changes at 100k rows: the store's snapshot (list(), or rows() on builds without
// it), timed after each round of K changes in the churn mix (60 % replaced in place, 20 % new rows, 20 % deleted).
//   node bench/store-snapshot.ts [--rows 100000] [--changes 1,20,60] [--rounds 300]
import { parseArgs } from "node:util";
import { RowStore } from "../src/kube/store.ts";

const { values } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    changes: { type: "string", default: "1,20,60" },
    rounds: { type: "string", default: "300" },
  },
});

interface Row {
  namespace: string;
  name: string;
  uid: string;
  createdAt: number;
  status: string;
  node: string;
}

/** The snapshot as the table reads it: list() where the store has it, else the rows() array. */
type Snapshot = { readonly length: number; at(i: number): Row | undefined };
const read = (store: RowStore<Row>): Snapshot => {
  const s = store as unknown as { list?(): Snapshot; rows(): Snapshot };
  return s.list ? s.list() : s.rows();
};

const n = Number(values.rows);
const rounds = Number(values.rounds);
const base = 1.7e12;
const pct = (xs: number[], q: number) => (xs[Math.floor(q * (xs.length - 1))] as number).toFixed(3);
for (const k of values.changes.split(",").map(Number)) {
  const store = new RowStore<Row>({ node: (r) => r.node, namespace: (r) => r.namespace });
  for (let i = 0; i < n; i++) {
    const node = `node-${i % 300}`;
    store.upsert({
      namespace: `ns-${i % 50}`,
      name: `pod-${i}`,
      uid: `u${i}`,
      createdAt: base + (i % 5000) * 1000,
      status: "Running",
      node,
    });
  }
  read(store);
  let next = n;
  let seed = 1;
  const rnd = (m: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % m;
  };
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const rows = read(store);
    for (let c = 0; c < k; c++) {
      const kind = rnd(10);
      const row = rows.at(rnd(rows.length)) as Row;
      if (kind < 6) store.upsert({ ...row, status: kind % 2 ? "Running" : "Pending" });
      else if (kind < 8) {
        const node = `node-${next % 300}`;
        store.upsert({
          namespace: `ns-${next % 50}`,
          name: `pod-${next}`,
          uid: `u${next}`,
          createdAt: base + 6e6 + next,
          status: "Pending",
          node,
        });
        next++;
      } else store.remove(`${row.namespace}/${row.name}`);
    }
    const t0 = performance.now();
    read(store);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${n} rows, ${k} changes per read: p50 ${pct(times, 0.5)} ms, p95 ${pct(times, 0.95)} ms, p99 ${pct(times, 0.99)} ms`,
  );
}
