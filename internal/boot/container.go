package boot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Container is one machine booted under systemd-nspawn: a fresh overlay of
// the root file system (so its writes, cloud-init's first-boot state among
// them, are its own and vanish with it), in the instance's namespace of a
// Network.
type Container struct {
	name  string
	dir   string
	root  string
	netns string

	// cgroups are the container's own control groups.
	cgroups []string

	mu      sync.Mutex
	pid     int // PID 1's, once found for this spawn
	cmd     *exec.Cmd
	done    chan struct{}
	exit    int
	console *capped
}

// nspawnRebooted is systemd-nspawn's exit status when the container
// rebooted (its systemd-nspawn@.service restarts it on that status).
const nspawnRebooted = 133

// StartContainer seeds cloud-init with the machine's user data and instance
// id, and boots it. dir is a new folder of the container's own; name tells
// the machines of this run apart.
func StartContainer(name, rootfs, dir string, m Machine, netnsPath string) (c *Container, err error) {
	c = &Container{name: runName(name), dir: dir, root: filepath.Join(dir, "root"), netns: netnsPath}
	for _, d := range []string{"upper", "work", "root"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	if c.cgroups, err = newCgroups(name); err != nil {
		return nil, err
	}
	mounted := false
	defer func() {
		if err != nil {
			if mounted {
				c.unmount()
			}
			removeCgroups(c.cgroups)
		}
	}()
	opts := fmt.Sprintf("lowerdir=%s,upperdir=%s,workdir=%s", rootfs, filepath.Join(dir, "upper"), filepath.Join(dir, "work"))
	if err := unix.Mount("overlay", c.root, "overlay", 0, opts); err != nil {
		return nil, fmt.Errorf("mount an overlay of %s: %w", rootfs, err)
	}
	mounted = true
	seed := filepath.Join(c.root, "var/lib/cloud/seed/nocloud")
	if err := os.MkdirAll(seed, 0o755); err != nil {
		return nil, err
	}
	meta := fmt.Sprintf("instance-id: %s\nlocal-hostname: %s\n", m.Instance.ID, "ip-"+strings.ReplaceAll(m.Instance.Address.Addr().String(), ".", "-"))
	if err := os.WriteFile(filepath.Join(seed, "meta-data"), []byte(meta), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(seed, "user-data"), m.UserData, 0o600); err != nil {
		return nil, err
	}
	if err := c.spawn(); err != nil {
		return nil, err
	}
	return c, nil
}

// spawn starts systemd-nspawn on the container's root. The host has no
// systemd of its own to register the machine with or to put it in a scope
// of, so neither is asked for.
func (c *Container) spawn() error {
	// A shell joins the container's control groups, then becomes
	// systemd-nspawn.
	join := ""
	for _, dir := range c.cgroups {
		join += fmt.Sprintf("echo $$ > %s/cgroup.procs && ", dir)
	}
	cmd := exec.Command("/bin/sh", "-c", join+`exec "$@"`, "sh", "systemd-nspawn", "--quiet", "--boot",
		"--register=no", "--keep-unit",
		"--machine="+c.name,
		"--directory="+c.root,
		"--network-namespace-path="+c.netns,
		"--console=pipe",
		"--link-journal=no", "--resolv-conf=off", "--timezone=off")
	console := &capped{max: 64 << 10}
	cmd.Stdout, cmd.Stderr = console, console
	// Its own process group, so that a Ctrl-C to the test reaches it only
	// through the test's own clean-up; and killed with the test by the
	// kernel's parent-death signal, which follows the thread that started
	// it: so it starts and is waited for on one locked thread. (The
	// container's PID 1 may outlive it; the watchdog kills it then.)
	cmd.SysProcAttr = &unix.SysProcAttr{Setpgid: true, Pdeathsig: unix.SIGKILL}
	done := make(chan struct{})
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- fmt.Errorf("systemd-nspawn: %w", err)
			return
		}
		c.mu.Lock()
		c.cmd, c.done, c.console, c.pid = cmd, done, console, 0
		c.mu.Unlock()
		started <- nil
		err := cmd.Wait()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		}
		c.mu.Lock()
		c.exit, c.pid = code, 0
		c.mu.Unlock()
		close(done)
	}()
	return <-started
}

// Console is what systemd-nspawn printed (its own errors among it).
func (c *Container) Console() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.console.String()
}

// pid1 is the host's id of the container's PID 1: systemd-nspawn's child
// that is process 1 of its own PID namespace.
func (c *Container) pid1(ctx context.Context) (int, error) {
	c.mu.Lock()
	parent, done, known := c.cmd.Process.Pid, c.done, c.pid
	c.mu.Unlock()
	select {
	case <-done:
		return 0, fmt.Errorf("the container is not running (systemd-nspawn exit status %d)", c.exitCode())
	default:
	}
	if known != 0 {
		return known, nil
	}
	for {
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
			if err != nil {
				continue
			}
			if statusField(status, "PPid") == strconv.Itoa(parent) && strings.HasSuffix(statusField(status, "NSpid"), "\t1") {
				c.mu.Lock()
				if c.done == done {
					c.pid = pid
				}
				c.mu.Unlock()
				return pid, nil
			}
		}
		select {
		case <-done:
			return 0, fmt.Errorf("systemd-nspawn ended (exit status %d) before the container's PID 1 was found:\n%s", c.exitCode(), tail([]byte(c.Console()), 20))
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func statusField(status []byte, name string) string {
	for _, l := range lines(status) {
		if v, ok := strings.CutPrefix(l, name+":"); ok {
			return strings.TrimSpace(strings.ReplaceAll(v, " ", "\t"))
		}
	}
	return ""
}

func (c *Container) exitCode() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.exit
}

// Exec runs a command inside the container (all its namespaces, its root)
// and returns its output.
func (c *Container) Exec(ctx context.Context, args ...string) (string, error) {
	pid, err := c.pid1(ctx)
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "nsenter", append([]string{"--target", strconv.Itoa(pid), "--all", "--"}, args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// nsenter forks the command into the container's PID namespace: when
	// ctx ends, the whole group goes, and the output pipe is not waited
	// for beyond two seconds.
	cmd.SysProcAttr = &unix.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return unix.Kill(-cmd.Process.Pid, unix.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	err = cmd.Run()
	return strings.TrimSpace(out.String()), err
}

// WaitBooted waits until systemd has finished booting (every unit of the
// boot started or failed: cloud-final.service, which runs the user data,
// among them) and returns its state: running, or degraded when a unit
// failed.
func (c *Container) WaitBooted(ctx context.Context) (string, error) {
	var last string
	for {
		// Until systemd answers on its bus, systemctl says "offline".
		// --wait returns when the boot ends; each try is bounded, so that
		// a boot that never ends is seen when ctx ends.
		try, cancel := context.WithTimeout(ctx, 30*time.Second)
		out, _ := c.Exec(try, "systemctl", "is-system-running", "--wait")
		cancel()
		switch out {
		case "running", "degraded", "maintenance", "stopping":
			return out, nil
		}
		if out != "" {
			last = out
		}
		select {
		case <-ctx.Done():
			// What it still waits for.
			now, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			state, _ := c.Exec(now, "systemctl", "is-system-running")
			jobs, _ := c.Exec(now, "systemctl", "list-jobs", "--no-legend", "--no-pager")
			cancel()
			if state == "" {
				state = last
			}
			return "", fmt.Errorf("the container did not finish booting in time (systemd: %s); the boot still waits for:\n%s", state, indent(jobs))
		case <-c.doneChan():
			return "", fmt.Errorf("the container stopped while booting (systemd-nspawn exit status %d):\n%s", c.exitCode(), tail([]byte(c.Console()), 20))
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (c *Container) doneChan() chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.done
}

// Reboot reboots the machine from inside (systemctl reboot, as `sudo
// reboot` on an instance) and starts it again on the same root, as
// systemd-nspawn@.service does when the container exits for a reboot.
func (c *Container) Reboot(ctx context.Context) error {
	done := c.doneChan()
	// The command may lose its connection as the machine goes down.
	_, _ = c.Exec(ctx, "systemctl", "reboot")
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("the container did not reboot: %w", ctx.Err())
	}
	if code := c.exitCode(); code != nspawnRebooted {
		return fmt.Errorf("systemd-nspawn exited with %d on reboot, want %d:\n%s", code, nspawnRebooted, tail([]byte(c.Console()), 20))
	}
	c.removePropagation()
	return c.spawn()
}

// Stop powers the machine off (SIGRTMIN+4 to its systemd, as machinectl
// poweroff does), kills it after a grace period, and removes its overlay.
func (c *Container) Stop() {
	done := c.doneChan()
	select {
	case <-done:
	default:
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if pid, err := c.pid1(ctx); err == nil {
			_ = unix.Kill(pid, sigRTMin+4)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			// The container's own processes are in its control groups,
			// systemd-nspawn with them.
			killCgroups(c.cgroups)
			select {
			case <-done:
			case <-time.After(10 * time.Second):
			}
		}
	}
	c.removePropagation()
	c.unmount()
	removeCgroups(c.cgroups)
}

// CPU is the processor time the container (and its systemd-nspawn) used
// so far, from its v2 control group; 0 where there is none.
func (c *Container) CPU() time.Duration {
	for _, dir := range c.cgroups {
		stat, err := os.ReadFile(filepath.Join(dir, "cpu.stat"))
		if err != nil {
			continue
		}
		for _, l := range lines(stat) {
			if v, ok := strings.CutPrefix(l, "usage_usec "); ok {
				us, _ := strconv.ParseInt(v, 10, 64)
				return time.Duration(us) * time.Microsecond
			}
		}
	}
	return 0
}

// removePropagation removes the folder systemd-nspawn keeps for mount
// propagation: it refuses to remove it itself where /run is not a tmpfs.
func (c *Container) removePropagation() {
	_ = os.RemoveAll(filepath.Join("/run/systemd/nspawn/propagate", c.name))
}

func (c *Container) unmount() {
	if err := unix.Unmount(c.root, 0); err != nil {
		_ = unix.Unmount(c.root, unix.MNT_DETACH)
	}
	_ = os.RemoveAll(c.dir)
}

// Journal is the last n lines of a unit's journal, every boot's.
func (c *Container) Journal(ctx context.Context, unit string, n int) string {
	out, err := c.Exec(ctx, "journalctl", "--no-pager", "--quiet", "--output=short-monotonic", "--unit="+unit, "--lines="+strconv.Itoa(n))
	if err != nil && out == "" {
		return fmt.Sprintf("(journalctl: %v)", err)
	}
	return out
}

// FailedUnits are the units that failed.
func (c *Container) FailedUnits(ctx context.Context) []string {
	out, _ := c.Exec(ctx, "systemctl", "list-units", "--failed", "--plain", "--no-legend", "--no-pager")
	var units []string
	for _, l := range lines([]byte(out)) {
		if f := strings.Fields(l); len(f) > 0 && strings.Contains(f[0], ".") {
			units = append(units, f[0])
		}
	}
	return units
}

// Restarted are the services that systemd restarted, with how often.
func (c *Container) Restarted(ctx context.Context) map[string]int {
	out, _ := c.Exec(ctx, "systemctl", "show", "--property=Id,NRestarts", "*.service")
	restarted := map[string]int{}
	// A block of properties per unit, blocks apart by an empty line, the
	// properties in systemd's order.
	for _, block := range strings.Split(out, "\n\n") {
		var id string
		var n int
		for _, l := range lines([]byte(block)) {
			if v, ok := strings.CutPrefix(l, "Id="); ok {
				id = v
			} else if v, ok := strings.CutPrefix(l, "NRestarts="); ok {
				n, _ = strconv.Atoi(v)
			}
		}
		if id != "" && n > 0 {
			restarted[id] = n
		}
	}
	return restarted
}

var ssPid = regexp.MustCompile(`pid=(\d+)`)

// UnitListening is the unit whose process listens on a TCP port, empty
// when none does.
func (c *Container) UnitListening(ctx context.Context, port int) string {
	out, _ := c.Exec(ctx, "ss", "-Htlnp", fmt.Sprintf("sport = :%d", port))
	m := ssPid.FindStringSubmatch(out)
	if m == nil {
		return ""
	}
	cgroup, _ := c.Exec(ctx, "cat", "/proc/"+m[1]+"/cgroup")
	for _, l := range lines([]byte(cgroup)) {
		if strings.HasSuffix(l, ".service") {
			return filepath.Base(l)
		}
	}
	return ""
}

// CloudInitStatus is cloud-init's own word on the boot (`cloud-init status
// --long`): "done" once the user data ran, "error" with the failures when
// it failed.
func (c *Container) CloudInitStatus(ctx context.Context) (string, bool) {
	out, err := c.Exec(ctx, "cloud-init", "status", "--long")
	return out, err == nil && strings.Contains(out, "status: done")
}

// capped keeps the first max bytes written to it.
type capped struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (w *capped) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if room := w.max - w.buf.Len(); room > 0 {
		w.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (w *capped) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// sigRTMin is Linux's SIGRTMIN as glibc and systemd number it.
const sigRTMin = unix.Signal(34)
