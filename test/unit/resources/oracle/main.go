// Printers oracle: reads a JSON array of API objects (core, apps, batch, autoscaling, networking, discovery, rbac,
// storage) on stdin and writes, for each, the cells of the server-side Table row kube-apiserver would send (decoded
// and defaulted as the server does, printed wide), or null for an object it cannot decode or has no printer for.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/kubernetes/pkg/api/legacyscheme"
	_ "k8s.io/kubernetes/pkg/apis/apps/install"
	_ "k8s.io/kubernetes/pkg/apis/autoscaling/install"
	_ "k8s.io/kubernetes/pkg/apis/batch/install"
	_ "k8s.io/kubernetes/pkg/apis/core/install"
	_ "k8s.io/kubernetes/pkg/apis/discovery/install"
	_ "k8s.io/kubernetes/pkg/apis/networking/install"
	_ "k8s.io/kubernetes/pkg/apis/rbac/install"
	_ "k8s.io/kubernetes/pkg/apis/storage/install"
	"k8s.io/kubernetes/pkg/printers"
	printersinternal "k8s.io/kubernetes/pkg/printers/internalversion"
)

func main() {
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		panic(err)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		panic(err)
	}
	generator := printers.NewTableGenerator().With(printersinternal.AddHandlers)
	decoder := legacyscheme.Codecs.UniversalDecoder()
	out := make([][]interface{}, 0, len(items))
	for _, raw := range items {
		obj, _, err := decoder.Decode(raw, nil, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			out = append(out, nil)
			continue
		}
		// The API server always renders its Tables wide; kubectl hides priority-1 columns itself.
		table, err := generator.GenerateTable(obj, printers.GenerateOptions{Wide: true})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			out = append(out, nil)
			continue
		}
		out = append(out, table.Rows[0].Cells)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
