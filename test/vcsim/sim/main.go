// Command sim runs govmomi's vCenter simulator for Siteshift's tests and benchmark.
//
// It is built from Debian's golang-github-vmware-govmomi-dev (GOPATH=/usr/share/gocode,
// GO111MODULE=off) because Debian packages govmomi as a library only. It prints one JSON line
// with the URL and the certificate's SHA-256 thumbprint once the server listens, then serves
// until stdin closes or it receives SIGTERM/SIGINT, so a test that dies cannot leak it.
package main

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	dc := flag.Int("dc", 1, "datacenters")
	folder := flag.Int("folder", 0, "datacenters placed inside a folder (with their own host/vm/network/datastore sub-folders)")
	cluster := flag.Int("cluster", 1, "clusters per datacenter")
	clusterHost := flag.Int("host", 3, "hosts per cluster")
	standalone := flag.Int("standalone-host", 1, "standalone hosts per datacenter")
	pool := flag.Int("pool", 0, "child resource pools per cluster")
	vm := flag.Int("vm", 2, "virtual machines per resource pool")
	ds := flag.Int("ds", 1, "datastores")
	pg := flag.Int("pg", 1, "distributed port groups per datacenter")
	user := flag.String("username", "", "the only accepted user (empty: any non-empty user/password)")
	orphaned := flag.String("orphaned", "", "comma-separated VM names whose runtime.connectionState is orphaned (their host no longer knows them)")
	strict := flag.Bool("strict", true, "refuse requests missing a property vCenter requires (InvalidRequest), as vCenter does")
	methodDelay := flag.String("method-delay", "", "Model.DelayConfig.MethodDelay as Method=ms,Method=ms (e.g. CreateVM_Task=3000): realistic task durations")
	logCalls := flag.String("log-calls", "", "comma-separated methods logged as \"call: <Method>\" on stderr when a request for one arrives, before its delay")
	flag.Parse()

	// The password comes from the environment so it never shows in a process listing.
	password := os.Getenv("VCSIM_PASSWORD")

	m := simulator.VPX()
	m.Datacenter = *dc
	m.Folder = *folder
	m.Cluster = *cluster
	m.ClusterHost = *clusterHost
	m.Host = *standalone
	m.Pool = *pool
	m.Machine = *vm
	m.Datastore = *ds
	m.Portgroup = *pg

	if *methodDelay != "" {
		// vcsim sleeps before serving the call (outside its object locks): concurrent calls
		// overlap as vCenter's tasks do.
		m.DelayConfig.MethodDelay = map[string]int{}
		for _, kv := range strings.Split(*methodDelay, ",") {
			parts := strings.SplitN(kv, "=", 2)
			ms, err := strconv.Atoi(strings.TrimSpace(parts[len(parts)-1]))
			if len(parts) != 2 || err != nil {
				fail(fmt.Errorf("-method-delay: %q is not Method=milliseconds", kv))
			}
			m.DelayConfig.MethodDelay[strings.TrimSpace(parts[0])] = ms
		}
	}

	if err := m.Create(); err != nil {
		fail(err)
	}
	defer m.Remove()
	markUplinks()
	if *orphaned != "" {
		markOrphaned(strings.Split(*orphaned, ","))
	}

	listen := &url.URL{Host: "127.0.0.1:0"}
	if *user != "" {
		listen.User = url.UserPassword(*user, password)
	}
	m.Service.Listen = listen
	m.Service.TLS = new(tls.Config)
	s := m.Service.NewServer()
	defer s.Close()
	if *strict {
		// Swapped in before the address is printed: no request can have reached the server yet.
		s.Config.Handler = strictHandler(s.Config.Handler, func(format string, args ...interface{}) {
			fmt.Fprintf(os.Stderr, format+"\n", args...)
		})
	}

	if *logCalls != "" {
		methods := map[string]bool{}
		for _, name := range strings.Split(*logCalls, ",") {
			methods[strings.TrimSpace(name)] = true
		}
		s.Config.Handler = callLogger(s.Config.Handler, methods)
	}

	sum := sha256.Sum256(s.Certificate().Raw)
	hexes := make([]string, len(sum))
	for i, b := range sum {
		hexes[i] = fmt.Sprintf("%02x", b)
	}
	u := *s.URL
	u.User = nil
	info := map[string]interface{}{
		"url":        u.String(),
		"thumbprint": strings.Join(hexes, ":"),
		"pid":        os.Getpid(),
		"strict":     *strict,
	}
	out, _ := json.Marshal(info)
	fmt.Println(string(out))

	done := make(chan struct{}, 2)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		done <- struct{}{}
	}()
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
		<-sig
		done <- struct{}{}
	}()
	<-done
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "vcsim:", err)
	os.Exit(1)
}

// markUplinks sets config.uplink on each switch's uplink port group, as vCenter does (vcsim
// creates "<switch>-DVUplinks-<n>" without the flag), so that inventories can tell them from
// networks a VM can use.
func markUplinks() {
	for _, e := range simulator.Map.All("DistributedVirtualPortgroup") {
		pg, ok := e.(*simulator.DistributedVirtualPortgroup)
		if ok && strings.Contains(pg.Name, "-DVUplinks") {
			pg.Config.Uplink = types.NewBool(true)
		}
	}
}

// markOrphaned gives VMs the connection state vCenter reports when their host lost them; vcsim
// has no call that leads there.
func markOrphaned(names []string) {
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm, ok := e.(*simulator.VirtualMachine)
		if !ok {
			continue
		}
		for _, n := range names {
			if vm.Name == n {
				vm.Runtime.ConnectionState = types.VirtualMachineConnectionStateOrphaned
				vm.Summary.Runtime.ConnectionState = types.VirtualMachineConnectionStateOrphaned
			}
		}
	}
}
