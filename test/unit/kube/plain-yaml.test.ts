// readPlainYaml against the yaml library: the same value for every kubeconfig-style document, undefined (so that the
// yaml library reads it) for everything outside the subset, and never a different answer for a mutated document.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { readPlainYaml } from "../../../src/kube/plain-yaml.ts";

const KUBECTL = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJhVENDQVJDZ0F3SUJBZ0lCQV==
    server: https://127.0.0.1:6443
  name: kind-kind
- cluster:
    insecure-skip-tls-verify: true
    server: https://10.0.0.1
    tls-server-name: api.internal
  name: lab
contexts:
- context:
    cluster: kind-kind
    user: kind-kind
  name: kind-kind
- context:
    cluster: lab
    namespace: payments
    user: admin
  name: lab
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==
- name: admin
  user:
    token: 3f7882ddb6c7fcf18184d183c0e9aa88281df49d14302c09
`;

const INDENTED = `# written by hand
apiVersion: v1
kind: Config
clusters:
  - name: sim   # the simulator
    cluster:
      server: "https://127.0.0.1:40737"
      certificate-authority: ./ca.crt
users:
  - name: sim-user
    user:
      token: '0123abc'
      tokenFile: ~/token
contexts:
  - name: sim
    context:
      cluster: sim
      user: sim-user
      namespace: default
current-context: sim
preferences: {}
extensions: []
`;

const EKS = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0t
    server: https://ABC.gr7.eu-west-1.eks.amazonaws.com
  name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
contexts:
- context:
    cluster: arn:aws:eks:eu-west-1:123456789012:cluster/prod
    user: arn:aws:eks:eu-west-1:123456789012:cluster/prod
  name: prod
current-context: prod
kind: Config
preferences: {}
users:
- name: arn:aws:eks:eu-west-1:123456789012:cluster/prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      args:
      - --region
      - eu-west-1
      - eks
      - get-token
      - --cluster-name
      - prod
      command: aws
      env:
      - name: AWS_PROFILE
        value: prod
      - name: RETRIES
        value: 3
      interactiveMode: IfAvailable
      provideClusterInfo: false
`;

const GKE = `apiVersion: v1
kind: Config
current-context: gke
contexts:
-   context:
      cluster: gke
      user: gke
    name: gke
clusters:
- name: gke
  cluster:
    server: https://34.1.2.3
users:
- name: gke
  user:
    auth-provider:
      name: gcp
      config:
        access-token: ya29.a0AfH6SMB
        cmd-args: config config-helper --format=json
        cmd-path: /usr/lib/google-cloud-sdk/bin/gcloud
        expiry: 2026-12-01T16:00:00Z
        expiry-key: '{.credential.token_expiry}'
        token-key: '{.credential.access_token}'
    username: null
    password: ~
    as-groups:
    -
    - system:masters
`;

const CORPUS = [KUBECTL, INDENTED, EKS, GKE];

test("kubeconfigs as kubectl, kind, EKS, GKE and people write them read as the yaml library reads them", () => {
  for (const text of CORPUS) {
    const plain = readPlainYaml(text);
    assert.notEqual(plain, undefined, text.slice(0, 60));
    assert.deepEqual(plain, parse(text));
  }
});

test("anything outside the subset is left to the yaml library", () => {
  const outside = [
    "", // yaml: null
    "# only a comment\n",
    "- a\n- b\n", // not a mapping
    "a: 1\n\tb: 2\n",
    "a: 1\r\nb: 2\r\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "a: one\n  two\n", // a plain scalar over two lines
    'a: "one\\ntwo"\n',
    "a: 'it''s'\n",
    "a: {b: 1}\n",
    "a: [1, 2]\n",
    "a: 1.5\n",
    "a: 0x1f\n",
    "a: 0o17\n",
    "a: 017\n",
    "a: .inf\n",
    "a: 12345678901234567890\n",
    "a: 1\na: 2\n", // the yaml library refuses duplicate keys
    "True: 1\n",
    "? a\n: 1\n",
    "---\na: 1\n",
    "a: b: c\n",
    "a: - b\n",
    '"a": 1\n',
    "  a: 1\n",
    "a:\n  - b\n   - c\n",
    "a:\n- - b\n",
  ];
  for (const text of outside) assert.equal(readPlainYaml(text), undefined, JSON.stringify(text));
});

test("mutated kubeconfigs: the same value as the yaml library, or left to it", () => {
  const pieces = [" ", "  ", "\n", "-", "- ", ":", ": ", "#", " #", "'", '"', "{}", "[]", "{", "[", "a", "1", "0", "."];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  let agreed = 0;
  for (let n = 0; n < 2000; n++) {
    let text = CORPUS[n % CORPUS.length]!;
    for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
      const at = Math.floor(next() * text.length);
      const cut = next() < 0.5 ? Math.floor(next() * 4) : 0;
      text = text.slice(0, at) + pieces[Math.floor(next() * pieces.length)] + text.slice(at + cut);
    }
    let expected: unknown;
    let valid = true;
    try {
      expected = parse(text);
    } catch {
      valid = false;
    }
    const plain = readPlainYaml(text);
    if (plain === undefined) continue;
    assert.ok(valid, `the yaml library refuses this, the subset must too:\n${text}`);
    assert.deepEqual(plain, expected, text);
    agreed++;
  }
  assert.ok(agreed > 500, `most small edits stay in the subset (${agreed})`);
});
