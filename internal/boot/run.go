package boot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Config is what every boot shares.
type Config struct {
	// Rootfs is the root file system's folder (EnsureRootfs).
	Rootfs string
	// WorkDir holds the containers' overlays while they run.
	WorkDir string
	// Site is the name browsers ask for (the Host header).
	Site string
	// BootTimeout bounds each boot. Default: 3 minutes.
	BootTimeout time.Duration
	// Settle is how long the health check, and then each listener, may
	// keep failing after the boot finished before it counts as failed
	// (units still starting on a loaded machine). It costs time only when a
	// check fails.
	// Default: 60 seconds.
	Settle time.Duration
}

// Result is one machine's boot: what failed, and how long it took.
type Result struct {
	// Failures are whole paragraphs: the check, what it got, the unit that
	// serves the port (or the failed ones) and their last journal lines.
	Failures []string
	// Boot and Reboot are the times until the health check passed.
	Boot, Reboot time.Duration
	// Steps say when each step ended, in seconds since the start.
	Steps []string
	// CPU is the processor time the container used, both boots.
	CPU time.Duration
}

// Ask is one load balancer's questions to a machine: a tier's health
// check and listeners, and whose they are (for the failures).
type Ask struct {
	Tier  *Tier
	Label string
}

// Boot boots a machine under the name (unique among the boots running at
// once), asks it what each load balancer asks (several tiers may share one
// user data), reboots it and asks again. An error means the boot itself
// could not be done (no namespace, no container), not that the machine
// failed a check.
func Boot(ctx context.Context, cfg Config, name string, m Machine, asks []Ask) (res Result, err error) {
	if cfg.BootTimeout == 0 {
		cfg.BootTimeout = 3 * time.Minute
	}
	if cfg.Settle == 0 {
		cfg.Settle = 60 * time.Second
	}
	network, err := NewNetwork(ctx, name, m.Instance)
	if err != nil {
		return res, err
	}
	defer network.Close()
	imds := NewIMDS(m.Instance, m.UserData)
	ln, err := network.Listen(IMDSAddress + ":80")
	if err != nil {
		return res, fmt.Errorf("metadata service: %w", err)
	}
	srv := &http.Server{Handler: imds, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	dir := filepath.Join(cfg.WorkDir, name)
	start := time.Now()
	c, err := StartContainer(name, cfg.Rootfs, dir, m, network.InstancePath())
	if err != nil {
		return res, err
	}
	defer func() {
		res.CPU = c.CPU()
		c.Stop()
	}()
	p := &prober{cfg: cfg, c: c, n: network, m: m, asks: asks, imds: imds, start: start}
	defer func() { res.Failures, res.Steps = p.failures, p.steps }()
	if !p.booted(ctx, "first boot") {
		return res, nil
	}
	res.Boot = time.Since(start)
	rebooted := time.Now()
	asked := len(imds.Asked())
	rebootCtx, cancel := context.WithTimeout(ctx, cfg.BootTimeout)
	err = c.Reboot(rebootCtx)
	cancel()
	if err != nil {
		p.fail(ctx, "reboot", err.Error(), 0)
		return res, nil
	}
	p.step("rebooted")
	ok := p.booted(ctx, "after a reboot")
	// Only the user data talks to the metadata service (cloud-init reads
	// its seed): had it run again, the servers would not have had to
	// survive the reboot on their own.
	if again := imds.Asked()[asked:]; len(again) > 0 {
		p.fail(ctx, "after a reboot", "the user data ran again (cloud-init runs it on an instance's first boot only), so the reboot proves nothing; it asked the metadata service:\n"+indent(strings.Join(again, "\n")), 0)
		ok = false
	}
	if ok {
		res.Reboot = time.Since(rebooted)
	}
	return res, nil
}

// prober asks one machine and collects what failed.
type prober struct {
	cfg      Config
	c        *Container
	n        *Network
	m        Machine
	asks     []Ask
	imds     *IMDS
	failures []string
	start    time.Time
	steps    []string
}

func (p *prober) step(what string) {
	p.steps = append(p.steps, fmt.Sprintf("%s %.1f s", what, time.Since(p.start).Seconds()))
}

// booted waits for the boot to end, checks that nothing failed and that
// cloud-init ran the user data (on the first boot), then asks the health
// check until it passes HealthyThreshold times in a row, and every
// listener. It reports whether every check passed.
func (p *prober) booted(ctx context.Context, when string) bool {
	bootCtx, cancel := context.WithTimeout(ctx, p.cfg.BootTimeout)
	defer cancel()
	state, err := p.c.WaitBooted(bootCtx)
	if err != nil {
		p.fail(ctx, when, err.Error(), 0)
		return false
	}
	p.step("booted " + state)
	ok := true
	if state != "running" {
		p.fail(ctx, when, fmt.Sprintf("systemd says the system is %s, want running", state), 0)
		ok = false
	}
	if status, done := p.c.CloudInitStatus(ctx); !done {
		p.fail(ctx, when, "cloud-init did not run the user data to its end:\n"+indent(status), 0)
		ok = false
	}
	p.step("cloud-init")
	for _, a := range p.asks {
		ok = p.asked(ctx, when, a) && ok
	}
	// The checks run back to back, not Interval apart: a server that keeps
	// crashing and coming back (Restart=always) could pass them all, so a
	// restart is a failure of its own.
	for unit, n := range p.c.Restarted(ctx) {
		p.fail(ctx, when, fmt.Sprintf("%s restarted %d times: a server that keeps failing answers some of the load balancer's checks and misses others", unit, n), 0, unit)
		ok = false
	}
	p.step("asked")
	return ok
}

// asked asks what one load balancer asks: the health check until it passes
// HealthyThreshold times in a row, then every listener.
func (p *prober) asked(ctx context.Context, when string, a Ask) bool {
	if a.Label != "" {
		when += ", " + a.Label
	}
	h := a.Tier.HealthCheck
	if got := p.settle(h.HealthyThreshold, func() string { return CheckHealth(ctx, p.n.Dial, p.m.Instance.Address.Addr(), h) }); got != "" {
		p.fail(ctx, when, fmt.Sprintf("health check %s (port %d): %s; the load balancer would keep the instance OutOfService", h.Target, h.Port, got), h.Port)
		return false
	}
	// The other ports' servers may still be starting (the load balancer
	// would send them nothing until the instance is InService, minutes
	// after its first passed check): each gets the same time to answer.
	ok := true
	for _, l := range a.Tier.Listeners {
		if got := p.settle(1, func() string { return CheckListener(ctx, p.n.Dial, p.m.Instance, a.Tier, l, p.cfg.Site) }); got != "" {
			p.fail(ctx, when, fmt.Sprintf("listener %s: %s", l, got), l.InstancePort)
			ok = false
		}
	}
	return ok
}

// settle asks until the answer passed n times in a row (ask returns ""),
// for at most Settle, and returns the last failure, "" when it passed.
func (p *prober) settle(n int, ask func() string) string {
	deadline := time.Now().Add(p.cfg.Settle)
	for passed := 0; passed < n; {
		last := ask()
		if last == "" {
			passed++
			continue
		}
		passed = 0
		if time.Now().After(deadline) {
			return last
		}
		time.Sleep(250 * time.Millisecond)
	}
	return ""
}

// fail records a failure with what explains it: the units it is about,
// or the unit that listens on the port (or, when none does, the failed
// units and cloud-final.service, which runs the user data); the last
// lines of their journals; and, when the user data did not finish, what
// it asked the metadata service.
func (p *prober) fail(ctx context.Context, when, what string, port int, units ...string) {
	// The container may be gone (a failed boot): whatever can be read.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", when, what)
	if port != 0 {
		if u := p.c.UnitListening(ctx, port); u != "" {
			fmt.Fprintf(&b, "  port %d is served by %s\n", port, u)
			units = append(units, u)
		} else {
			fmt.Fprintf(&b, "  nothing listens on port %d\n", port)
		}
	}
	if len(units) == 0 {
		failed := p.c.FailedUnits(ctx)
		if len(failed) > 0 {
			fmt.Fprintf(&b, "  failed units: %s\n", strings.Join(failed, ", "))
		}
		units = append(failed, "cloud-final.service")
	}
	for _, u := range slices.Compact(units) {
		fmt.Fprintf(&b, "  last journal lines of %s:\n%s\n", u, indent(p.c.Journal(ctx, u, 15)))
	}
	if _, done := p.c.CloudInitStatus(ctx); !done {
		fmt.Fprintf(&b, "  the user data asked the metadata service:\n%s\n", indent(strings.Join(p.imds.Asked(), "\n")))
	}
	p.failures = append(p.failures, strings.TrimRight(b.String(), "\n"))
}

func indent(s string) string {
	if s == "" {
		return "    (nothing)"
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// Preflight says what this machine lacks to boot containers, nil when
// nothing: root, systemd-nspawn, debootstrap, ip, nsenter and overlayfs.
func Preflight() error {
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root (containers, namespaces and mounts need it)")
	}
	for _, tool := range []string{"systemd-nspawn", "debootstrap", "ip", "nsenter", "chroot"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if fs, err := os.ReadFile("/proc/filesystems"); err != nil || !strings.Contains(string(fs), "\toverlay\n") {
		missing = append(missing, "overlayfs in the kernel")
	}
	if len(missing) > 0 {
		return errors.New("this machine cannot boot the instances: missing " + strings.Join(missing, ", ") + " (make boot installs systemd-container and debootstrap with apt-get)")
	}
	return nil
}
