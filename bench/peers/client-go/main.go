// Command informer-peer is the client-go reference point for Timoneiro's benchmarks: it starts a SharedInformerFactory
// pod informer across all namespaces, waits for the cache to sync, and prints one JSON line
//
//	{"fullSyncMs":..., "pods":..., "rssMb":..., "heapMb":...}
//
// with fullSyncMs measured from process start, and the memory figures taken after runtime.GC(). Then it exits.
// JSON is the wire format by default, like Timoneiro; --protobuf switches client-go to protobuf. --watch-list=false
// makes the initial sync a paginated LIST instead of client-go's default watch-list stream.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	clientfeatures "k8s.io/client-go/features"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
)

// processStart is the fallback start time: package-level initialisation, after the Go runtime started.
var processStart = time.Now()

type result struct {
	FullSyncMs float64 `json:"fullSyncMs"`
	Pods       int     `json:"pods"`
	RssMb      float64 `json:"rssMb"`
	HeapMb     float64 `json:"heapMb"`
	Protobuf   bool    `json:"protobuf"`
	WatchList  bool    `json:"watchList"`
	Client     string  `json:"client"`
}

func main() {
	kubeconfig := flag.String("kubeconfig", os.Getenv("KUBECONFIG"), "path to the kubeconfig (default $KUBECONFIG)")
	contextName := flag.String("context", "", "kubeconfig context (default: its current-context)")
	protobuf := flag.Bool("protobuf", false, "ask for application/vnd.kubernetes.protobuf instead of JSON")
	watchList := flag.Bool("watch-list", true,
		"initial sync through a watch-list stream (client-go's WatchListClient, on by default since 1.35); false: paginated LIST then WATCH")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up if the cache has not synced by then")
	flag.Parse()
	start := startTime()

	// client-go reads its feature gates from KUBE_FEATURE_* on first use, which is after this.
	os.Setenv("KUBE_FEATURE_WatchListClient", strconv.FormatBool(*watchList))
	if *kubeconfig == "" {
		fail("--kubeconfig is required (or set KUBECONFIG)")
	}
	rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: *kubeconfig}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: *contextName}
	config, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
	if err != nil {
		fail("kubeconfig: %v", err)
	}
	// No client-side throttling: the informer does one LIST (paginated by the reflector) and one WATCH.
	config.QPS = -1
	if *protobuf {
		config.ContentType = "application/vnd.kubernetes.protobuf"
		config.AcceptContentTypes = "application/vnd.kubernetes.protobuf,application/json"
	} else {
		config.ContentType = "application/json"
		config.AcceptContentTypes = "application/json"
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		fail("client: %v", err)
	}

	factory := informers.NewSharedInformerFactory(client, 0)
	pods := factory.Core().V1().Pods().Informer()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	factory.Start(ctx.Done())
	// cache.WaitForCacheSync polls every 100 ms, which would round fullSyncMs up to the next 100 ms: poll every 1 ms.
	for !pods.HasSynced() {
		select {
		case <-ctx.Done():
			fail("pod informer did not sync within %s", *timeout)
		case <-time.After(time.Millisecond):
		}
	}
	fullSync := time.Since(start)
	count := len(pods.GetStore().ListKeys())

	runtime.GC()
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	out, _ := json.Marshal(result{
		FullSyncMs: round(float64(fullSync.Microseconds()) / 1000),
		Pods:       count,
		RssMb:      round(float64(rssBytes()) / (1 << 20)),
		HeapMb:     round(float64(mem.HeapAlloc) / (1 << 20)),
		Protobuf:   *protobuf,
		WatchList:  clientfeatures.FeatureGates().Enabled(clientfeatures.WatchListClient),
		Client:     "client-go",
	})
	fmt.Println(string(out))
	cancel()
	factory.Shutdown()
}

func round(v float64) float64 { return float64(int64(v*10+0.5)) / 10 }

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "informer-peer: "+format+"\n", args...)
	os.Exit(1)
}

// startTime is when the kernel started this process (field 22 of /proc/self/stat, in clock ticks since boot), so that
// fullSyncMs includes the Go runtime's and client-go's initialisation like a Node process' timing includes its own.
// Falls back to the first package-level initialisation.
func startTime() time.Time {
	stat, err1 := os.ReadFile("/proc/self/stat")
	uptime, err2 := os.ReadFile("/proc/uptime")
	if err1 != nil || err2 != nil {
		return processStart
	}
	// The command name (field 2) may contain spaces; the fields after it start after the last ')'.
	rest := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	up := strings.Fields(string(uptime))
	if len(rest) < 20 || len(up) < 1 {
		return processStart
	}
	ticks, err1 := strconv.ParseFloat(rest[19], 64) // field 22 overall = index 19 after the state field
	upSec, err2 := strconv.ParseFloat(up[0], 64)
	if err1 != nil || err2 != nil {
		return processStart
	}
	const clockTicks = 100 // USER_HZ on Linux
	age := time.Duration((upSec - ticks/clockTicks) * float64(time.Second))
	if age < 0 || age > time.Minute {
		return processStart
	}
	return time.Now().Add(-age)
}

// rssBytes is the resident set size from /proc/self/statm (pages).
func rssBytes() int64 {
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(statm))
	if len(fields) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(fields[1], 10, 64)
	return pages * int64(os.Getpagesize())
}
