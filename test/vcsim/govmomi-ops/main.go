// Command govmomi-ops drives govmomi's own VM operations through a (strict) vcsim: create VM
// with a controller, a disk and a NIC, power, add a disk, remove it keeping its file, attach
// the existing file again, snapshot, clone, register, cancel-free destroy. It proves the strict
// mode refuses nothing govmomi itself sends. Any refused call ends it with a non-zero status.
//
// Usage: VCSIM_PASSWORD=... govmomi-ops -url URL -thumbprint SHA256 -username U
package main

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	rawURL := flag.String("url", "", "https://host/sdk")
	thumbprint := flag.String("thumbprint", "", "SHA-256 thumbprint of the server certificate")
	user := flag.String("username", "user", "user name")
	flag.Parse()

	ctx := context.Background()
	u, err := soap.ParseURL(*rawURL)
	check("parse url", err)
	u.User = url.UserPassword(*user, os.Getenv("VCSIM_PASSWORD"))
	sc := soap.NewClient(u, true)
	want := strings.ReplaceAll(strings.ToLower(*thumbprint), ":", "")
	// Chain validation is replaced by a SHA-256 pin, as in Siteshift's transport.
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
	check("client", err)
	check("login", session.NewManager(c).Login(ctx, u.User))

	finder := find.NewFinder(c, true)
	dc, err := finder.DefaultDatacenter(ctx)
	check("datacenter", err)
	finder.SetDatacenter(dc)
	folders, err := dc.Folders(ctx)
	check("folders", err)
	pool, err := finder.DefaultResourcePool(ctx)
	check("pool", err)
	ds, err := finder.DefaultDatastore(ctx)
	check("datastore", err)
	netw, err := finder.Network(ctx, "VM Network")
	check("network", err)

	// Create VM: controller, new disk, NIC.
	var devices object.VirtualDeviceList
	scsi, err := devices.CreateSCSIController("pvscsi")
	check("scsi", err)
	devices = append(devices, scsi)
	ctrl := devices.PickController(&types.VirtualSCSIController{})
	disk := devices.CreateDisk(ctrl, ds.Reference(), "")
	disk.CapacityInKB = 1024 * 1024
	devices = append(devices, disk)
	backing, err := netw.EthernetCardBackingInfo(ctx)
	check("network backing", err)
	nic, err := devices.CreateEthernetCard("vmxnet3", backing)
	check("nic", err)
	devices = append(devices, nic)
	changes, err := devices.ConfigSpec(types.VirtualDeviceConfigSpecOperationAdd)
	check("config spec", err)
	for _, ch := range changes {
		if _, ok := ch.GetVirtualDeviceConfigSpec().Device.(*types.VirtualDisk); ok {
			ch.GetVirtualDeviceConfigSpec().FileOperation = types.VirtualDeviceConfigSpecFileOperationCreate
		}
	}
	spec := types.VirtualMachineConfigSpec{
		Name:         "govmomi-strict",
		GuestId:      string(types.VirtualMachineGuestOsIdentifierOtherGuest64),
		NumCPUs:      1,
		MemoryMB:     256,
		Files:        &types.VirtualMachineFileInfo{VmPathName: fmt.Sprintf("[%s]", ds.Name())},
		DeviceChange: changes,
	}
	task, err := folders.VmFolder.CreateVM(ctx, spec, pool, nil)
	check("create vm", err)
	info, err := task.WaitForResult(ctx, nil)
	check("create vm task", err)
	vm := object.NewVirtualMachine(c, info.Result.(types.ManagedObjectReference))
	step("create vm")

	wait("power on", vm.PowerOn)
	wait("power off", vm.PowerOff)

	// Add a disk, remove it keeping its file, attach the existing file again.
	list, err := vm.Device(ctx)
	check("devices", err)
	ctrl2, err := list.FindSCSIController("")
	check("find scsi", err)
	extra := list.CreateDisk(ctrl2, ds.Reference(), "")
	extra.CapacityInKB = 512 * 1024
	check("add disk", vm.AddDevice(ctx, extra))
	step("add disk")
	list, err = vm.Device(ctx)
	check("devices", err)
	disks := list.SelectByType((*types.VirtualDisk)(nil))
	last := disks[len(disks)-1].(*types.VirtualDisk)
	file := last.Backing.(*types.VirtualDiskFlatVer2BackingInfo).FileName
	check("remove disk keeping files", vm.RemoveDevice(ctx, true, last))
	step("remove disk keeping files")
	attach := list.CreateDisk(ctrl2, ds.Reference(), file)
	check("attach existing disk", vm.AddDevice(ctx, attach))
	step("attach existing disk")

	// Snapshot and clone.
	task, err = vm.CreateSnapshot(ctx, "strict", "", false, false)
	check("snapshot", err)
	check("snapshot task", task.Wait(ctx))
	step("snapshot")
	consolidate := true
	task, err = vm.RemoveSnapshot(ctx, "strict", false, &consolidate)
	check("remove snapshot", err)
	check("remove snapshot task", task.Wait(ctx))
	step("remove snapshot")
	relocate := types.VirtualMachineRelocateSpec{}
	poolRef := pool.Reference()
	relocate.Pool = &poolRef
	task, err = vm.Clone(ctx, folders.VmFolder, "govmomi-strict-clone", types.VirtualMachineCloneSpec{Location: relocate})
	check("clone", err)
	info, err = task.WaitForResult(ctx, nil)
	check("clone task", err)
	clone := object.NewVirtualMachine(c, info.Result.(types.ManagedObjectReference))
	step("clone")

	wait("destroy clone", clone.Destroy)
	wait("destroy", vm.Destroy)
	fmt.Println("ok")
}

func step(name string) { fmt.Fprintln(os.Stderr, "done:", name) }

func wait(name string, f func(context.Context) (*object.Task, error)) {
	ctx := context.Background()
	task, err := f(ctx)
	check(name, err)
	check(name+" task", task.Wait(ctx))
	step(name)
}

func check(what string, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
		os.Exit(1)
	}
}
