// Command reference is the benchmark's yardstick: a whole process that logs in and reads the
// inventory with VMware's own Go client, as `siteshift inventory vsphere --json` does — one
// recursive container view from the root folder, one RetrievePropertiesEx,
// ContinueRetrievePropertiesEx until the token runs out, decoded into govmomi's typed managed
// objects.
//
// -props inventory reads the same property paths per type as Siteshift's inventory document
// (INVENTORY_SPECS in core/vsphere/inventory.ts): the like-for-like comparison. -props minimal
// reads only name, config.uuid, runtime.powerState, runtime.host, config.hardware.device and
// network of every VM plus host and network names.
//
// Usage: VCSIM_PASSWORD=... reference -url URL -thumbprint SHA256 -username U [-props inventory|minimal]
// Prints one JSON line: {"objects":N,"vms":N}.
package main

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// Keep in step with INVENTORY_SPECS in core/vsphere/inventory.ts.
var specs = map[string][]string{
	"Folder":          {"name", "parent"},
	"Datacenter":      {"name", "parent"},
	"ComputeResource": {"name", "parent"},
	"VirtualApp":      {"name", "parentFolder"},
	"HostSystem": {"name", "parent", "runtime.connectionState", "runtime.powerState",
		"summary.config.product.fullName", "summary.hardware.numCpuCores", "summary.hardware.memorySize"},
	"Datastore":                   {"name", "parent", "summary.type", "summary.capacity", "summary.freeSpace", "summary.accessible"},
	"Network":                     {"name", "parent"},
	"DistributedVirtualPortgroup": {"name", "parent", "config.uplink"},
	"VirtualMachine": {"name", "parent", "parentVApp", "config.uuid", "config.instanceUuid", "config.guestId",
		"config.hardware.numCPU", "config.hardware.memoryMB", "config.hardware.device", "config.template",
		"runtime.powerState", "runtime.connectionState", "runtime.host", "guest.ipAddress", "guest.net"},
}

var order = []string{"Folder", "Datacenter", "ComputeResource", "VirtualApp", "HostSystem", "Datastore", "Network", "DistributedVirtualPortgroup", "VirtualMachine"}

var minimal = map[string][]string{
	"HostSystem":     {"name"},
	"Network":        {"name"},
	"VirtualMachine": {"name", "config.uuid", "runtime.powerState", "runtime.host", "config.hardware.device", "network"},
}

var minimalOrder = []string{"HostSystem", "Network", "VirtualMachine"}

func main() {
	rawURL := flag.String("url", "", "https://host/sdk")
	thumbprint := flag.String("thumbprint", "", "SHA-256 thumbprint of the server certificate")
	user := flag.String("username", "user", "user name")
	props := flag.String("props", "inventory", "inventory (Siteshift's property paths) or minimal")
	flag.Parse()

	ctx := context.Background()
	u, err := soap.ParseURL(*rawURL)
	check(err)
	u.User = url.UserPassword(*user, os.Getenv("VCSIM_PASSWORD"))

	// Chain validation is replaced by a SHA-256 pin, as in Siteshift's transport.
	sc := soap.NewClient(u, true)
	want := strings.ReplaceAll(strings.ToLower(*thumbprint), ":", "")
	sc.DefaultTransport().TLSClientConfig.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
		if len(raw) == 0 {
			return errors.New("no certificate")
		}
		sum := sha256.Sum256(raw[0])
		if hex.EncodeToString(sum[:]) != want {
			return errors.New("certificate thumbprint mismatch")
		}
		return nil
	}
	c, err := vim25.NewClient(ctx, sc)
	check(err)
	check(session.NewManager(c).Login(ctx, u.User))

	kinds, paths := order, specs
	if *props == "minimal" {
		kinds, paths = minimalOrder, minimal
	}
	objects, vms, err := inventory(ctx, c, kinds, paths)
	check(err)
	out, _ := json.Marshal(map[string]interface{}{"objects": objects, "vms": vms})
	fmt.Println(string(out))
}

func inventory(ctx context.Context, c *vim25.Client, order []string, specs map[string][]string) (int, int, error) {
	m := view.NewManager(c)
	v, err := m.CreateContainerView(ctx, c.ServiceContent.RootFolder, order, true)
	if err != nil {
		return 0, 0, err
	}
	defer func() { _ = v.Destroy(ctx) }()

	var propSet []types.PropertySpec
	for _, t := range order {
		propSet = append(propSet, types.PropertySpec{Type: t, PathSet: specs[t]})
	}
	req := types.RetrievePropertiesEx{
		This: c.ServiceContent.PropertyCollector,
		SpecSet: []types.PropertyFilterSpec{{
			PropSet: propSet,
			ObjectSet: []types.ObjectSpec{{
				Obj:  v.Reference(),
				Skip: types.NewBool(true),
				SelectSet: []types.BaseSelectionSpec{&types.TraversalSpec{
					SelectionSpec: types.SelectionSpec{Name: "traverseView"},
					Type:          "ContainerView",
					Path:          "view",
					Skip:          types.NewBool(false),
				}},
			}},
		}},
	}
	res, err := methods.RetrievePropertiesEx(ctx, c, &req)
	if err != nil {
		return 0, 0, err
	}
	var content []types.ObjectContent
	for r := res.Returnval; r != nil; {
		content = append(content, r.Objects...)
		if r.Token == "" {
			break
		}
		next, err := methods.ContinueRetrievePropertiesEx(ctx, c, &types.ContinueRetrievePropertiesEx{This: req.This, Token: r.Token})
		if err != nil {
			return 0, 0, err
		}
		r = &next.Returnval
	}
	var objs []interface{}
	if err := mo.LoadObjectContent(content, &objs); err != nil {
		return 0, 0, err
	}
	vms := 0
	for _, o := range objs {
		if _, ok := o.(mo.VirtualMachine); ok {
			vms++
		}
	}
	return len(objs), vms, nil
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "reference:", err)
		os.Exit(1)
	}
}
