package boot

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"
)

// netnsDir is where `ip netns` keeps its named network namespaces.
const netnsDir = "/run/netns"

// Network is the test's own network for one machine: the instance's
// namespace, in which the machine runs, and the VPC's, which holds the
// instance metadata service and the load balancer's side, joined by a veth
// pair (eth0 in the instance, vpc0 in the VPC). The instance has its private
// address in its subnet and a default route to the VPC's router, the
// subnet's first address, which also answers for 169.254.169.254. Nothing
// is routed anywhere else.
type Network struct {
	Instance, VPC string
}

// NewNetwork makes the two namespaces for an instance; name tells the
// machines of one run apart.
func NewNetwork(ctx context.Context, name string, inst Instance) (*Network, error) {
	base := runName(name)
	n := &Network{Instance: base + "-i", VPC: base + "-v"}
	router := inst.Router().String() + fmt.Sprintf("/%d", inst.Address.Bits())
	steps := [][]string{
		{"netns", "add", n.Instance},
		{"netns", "add", n.VPC},
		{"link", "add", "vpc0", "netns", n.VPC, "type", "veth", "peer", "name", "eth0", "netns", n.Instance},
		{"-n", n.VPC, "link", "set", "lo", "up"},
		{"-n", n.VPC, "addr", "add", router, "dev", "vpc0"},
		{"-n", n.VPC, "addr", "add", IMDSAddress + "/32", "dev", "vpc0"},
		{"-n", n.VPC, "link", "set", "vpc0", "up"},
		{"-n", n.Instance, "link", "set", "lo", "up"},
		{"-n", n.Instance, "addr", "add", inst.Address.String(), "dev", "eth0"},
		{"-n", n.Instance, "link", "set", "eth0", "up"},
		{"-n", n.Instance, "route", "add", "default", "via", inst.Router().String()},
	}
	for _, args := range steps {
		if out, err := exec.CommandContext(ctx, "ip", args...).CombinedOutput(); err != nil {
			n.Close()
			return nil, fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		}
	}
	return n, nil
}

// InstancePath is the instance namespace's file, for systemd-nspawn.
func (n *Network) InstancePath() string { return filepath.Join(netnsDir, n.Instance) }

// InVPC runs f on a thread of its own inside the VPC's namespace: sockets
// that f opens stay there, whichever goroutine uses them later. The thread
// ends with f, so no other goroutine ever runs in the namespace.
func (n *Network) InVPC(f func() error) error {
	errc := make(chan error, 1)
	go func() {
		// Never unlocked: a goroutine that exits locked takes its thread
		// with it.
		runtime.LockOSThread()
		fd, err := unix.Open(filepath.Join(netnsDir, n.VPC), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- fmt.Errorf("open namespace %s: %w", n.VPC, err)
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("enter namespace %s: %w", n.VPC, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}

// Dial connects from the VPC's namespace, as the load balancer does.
func (n *Network) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	var conn net.Conn
	err := n.InVPC(func() error {
		var err error
		conn, err = (&net.Dialer{}).DialContext(ctx, network, address)
		return err
	})
	return conn, err
}

// Listen listens in the VPC's namespace.
func (n *Network) Listen(address string) (net.Listener, error) {
	var ln net.Listener
	err := n.InVPC(func() error {
		var err error
		ln, err = net.Listen("tcp", address)
		return err
	})
	return ln, err
}

// Close removes both namespaces (and with them the veth pair).
func (n *Network) Close() error {
	var first error
	for _, ns := range []string{n.Instance, n.VPC} {
		if _, err := os.Stat(filepath.Join(netnsDir, ns)); err != nil {
			continue
		}
		if out, err := exec.Command("ip", "netns", "delete", ns).CombinedOutput(); err != nil && first == nil {
			first = fmt.Errorf("ip netns delete %s: %v: %s", ns, err, strings.TrimSpace(string(out)))
		}
	}
	return first
}
