package boot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// The machine's root file system: Debian 12 from Debian's own archive.
const (
	rootfsSuite  = "bookworm"
	rootfsMirror = "http://deb.debian.org/debian"
)

// rootfsPackages are what the machine has beyond debootstrap's minbase:
// systemd 252 as PID 1 (with D-Bus, which systemctl needs), cloud-init to
// run the user data, and what the default user data calls (bash and
// coreutils come with minbase): curl for the metadata service, python3
// for the page server, openssl for the boot certificate; iproute2's ss
// tells which unit listens on a port.
var rootfsPackages = []string{
	"systemd", "systemd-sysv", "dbus", "cloud-init", "python3", "curl", "openssl", "iproute2",
	// cloud-init needs python3-cryptography, which depends on a virtual
	// package (python3-cffi-backend-api-min) that debootstrap's resolver
	// does not follow; its provider, named, lets cloud-init configure.
	"python3-cffi-backend",
	// The machine's own name resolves without DNS, which the test's
	// network has none of (on EC2 the VPC's resolver answers it): Python's
	// http.server asks for it at start and would wait 10 s for DNS.
	"libnss-myhostname",
}

// cloudConfig is cloud-init's configuration on the machine.
//
// The user data reaches cloud-init through NoCloud's seed folder, not
// through the Ec2 data source: in a container cloud-init reads no DMI, so
// it cannot tell it runs on EC2 and would not ask for an IMDSv2 token, and
// the metadata service (like an instance with HttpTokens required) answers
// nothing without one. Everything else is as on EC2: cloud-init's stages
// run in their systemd units at boot, the user data runs as root from
// cloud-final.service on the first boot of an instance id only, and the
// script itself asks the metadata service.
//
// The modules are Amazon Linux 2023's that matter to user data (running
// scripts and cloud-config's runcmd and write_files), without those that
// set up what a container does not have (disks, SSH keys, users, locales,
// package repositories); the network is the test's, so cloud-init leaves
// it alone.
const cloudConfig = `# Written by the boot test of cdk-classic-webtier (internal/boot).
datasource_list: [ NoCloud ]
network: {config: disabled}
cloud_init_modules: [migrator, seed_random, bootcmd, write-files, set_hostname, update_hostname, update_etc_hosts]
cloud_config_modules: [runcmd]
cloud_final_modules: [scripts-per-once, scripts-per-boot, scripts-per-instance, scripts-user, final-message]
`

// cloudInitUnits are cloud-init's four stages.
var cloudInitUnits = []string{"cloud-init-local.service", "cloud-init.service", "cloud-config.service", "cloud-final.service"}

// rootfsKey names a root file system by everything it is made from, so a
// change of the recipe makes a new one.
func rootfsKey() string {
	h := sha256.New()
	fmt.Fprintf(h, "recipe 1\n%s\n%s\n%s\n%s", rootfsSuite, rootfsMirror, strings.Join(rootfsPackages, ","), cloudConfig)
	return "debian-" + rootfsSuite + "-" + hex.EncodeToString(h.Sum(nil))[:12]
}

// DefaultCacheDir is where root file systems are kept between runs:
// $XDG_CACHE_HOME, else ~/.cache, then cdk-classic-webtier/boot.
func DefaultCacheDir() string {
	base := os.Getenv("XDG_CACHE_HOME")
	if base == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = os.TempDir()
		}
		base = filepath.Join(home, ".cache")
	}
	return filepath.Join(base, "cdk-classic-webtier", "boot")
}

// Rootfs is a ready root file system.
type Rootfs struct {
	Dir string
	// Versions are what it runs, such as "systemd 252 (252.39-1~deb12u2)".
	Versions []string
	// Built: this call made it (else it came from the cache).
	Built    bool
	Duration time.Duration
}

// EnsureRootfs returns the cached root file system under cacheDir, making
// it first when there is none (a minute or two: debootstrap downloads about
// 80 MB of Debian's packages). Two runs at once wait for each other (a lock
// in cacheDir); a made one replaces older recipes'. logf reports progress.
func EnsureRootfs(ctx context.Context, cacheDir string, logf func(format string, args ...any)) (*Rootfs, error) {
	start := time.Now()
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return nil, err
	}
	lock, err := os.OpenFile(filepath.Join(cacheDir, ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX); err != nil {
		return nil, fmt.Errorf("lock %s: %w", cacheDir, err)
	}
	key := rootfsKey()
	final := filepath.Join(cacheDir, key)
	if versions, err := os.ReadFile(filepath.Join(final, "versions")); err == nil {
		return &Rootfs{Dir: filepath.Join(final, "root"), Versions: lines(versions), Duration: time.Since(start)}, nil
	}
	if _, err := exec.LookPath("debootstrap"); err != nil {
		return nil, errors.New("debootstrap is not installed: apt-get install debootstrap (make boot does it)")
	}
	logf("boot: making the Debian 12 root file system in %s (debootstrap, once; about a minute or two)", final)
	tmp := final + ".making"
	_ = os.RemoveAll(tmp)
	defer os.RemoveAll(tmp)
	root := filepath.Join(tmp, "root")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, err
	}
	args := []string{"--variant=minbase", "--include=" + strings.Join(rootfsPackages, ","), rootfsSuite, root, rootfsMirror}
	if out, err := exec.CommandContext(ctx, "debootstrap", args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("debootstrap %s: %v\n%s", strings.Join(args, " "), err, tail(out, 30))
	}
	// debootstrap reports success even when a package stayed
	// unconfigured (it did for cloud-init, before python3-cffi-backend
	// was named): every package must be installed.
	out, err := exec.CommandContext(ctx, "chroot", root, "dpkg-query", "-W", "-f=${db:Status-Abbrev} ${Package}\n").Output()
	if err != nil {
		return nil, fmt.Errorf("dpkg-query in the root file system: %v", err)
	}
	for _, l := range lines(out) {
		if !strings.HasPrefix(l, "ii ") {
			return nil, fmt.Errorf("debootstrap left a package not installed: %q", l)
		}
	}
	if nss, err := os.ReadFile(filepath.Join(root, "etc/nsswitch.conf")); err != nil || !regexp.MustCompile(`(?m)^hosts:.*\bmyhostname\b`).Match(nss) {
		return nil, fmt.Errorf("the root file system's nsswitch.conf does not resolve the machine's own name (myhostname): %v\n%s", err, nss)
	}
	if err := os.WriteFile(filepath.Join(root, "etc/cloud/cloud.cfg.d/90-boot-test.cfg"), []byte(cloudConfig), 0o644); err != nil {
		return nil, err
	}
	// A persistent journal: the first boot's lines stay after a reboot.
	if err := os.MkdirAll(filepath.Join(root, "var/log/journal"), 0o755); err != nil {
		return nil, err
	}
	for _, step := range [][]string{
		append([]string{"systemctl", "--root=" + root, "enable"}, cloudInitUnits...),
		{"chroot", root, "apt-get", "clean"},
	} {
		if out, err := exec.CommandContext(ctx, step[0], step[1:]...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s: %v\n%s", strings.Join(step, " "), err, tail(out, 10))
		}
	}
	_ = os.RemoveAll(filepath.Join(root, "var/lib/apt/lists"))
	var versions []string
	for _, cmd := range [][]string{{"/lib/systemd/systemd", "--version"}, {"cloud-init", "--version"}, {"python3", "--version"}} {
		out, err := exec.CommandContext(ctx, "chroot", append([]string{root}, cmd...)...).CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("%s in the root file system: %v: %s", cmd[0], err, out)
		}
		versions = append(versions, strings.TrimSpace(lines(out)[0]))
	}
	if err := os.WriteFile(filepath.Join(tmp, "versions"), []byte(strings.Join(versions, "\n")+"\n"), 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, final); err != nil {
		return nil, err
	}
	// Older recipes' root file systems are not used again.
	entries, _ := os.ReadDir(cacheDir)
	for _, e := range entries {
		if e.IsDir() && e.Name() != key && strings.HasPrefix(e.Name(), "debian-") {
			_ = os.RemoveAll(filepath.Join(cacheDir, e.Name()))
		}
	}
	return &Rootfs{Dir: filepath.Join(final, "root"), Versions: versions, Built: true, Duration: time.Since(start)}, nil
}
