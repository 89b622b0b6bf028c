package boot

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// cgroupRoots are where the control group hierarchies that systemd uses
// are mounted: the unified (v2) one, and the named v1 hierarchy
// name=systemd of a host in hybrid mode.
func cgroupRoots() []string {
	mounts, _ := os.ReadFile("/proc/self/mounts")
	var roots []string
	for _, l := range lines(mounts) {
		f := strings.Fields(l)
		if len(f) < 4 {
			continue
		}
		if f[2] == "cgroup2" || (f[2] == "cgroup" && strings.Contains(","+f[3]+",", ",name=systemd,")) {
			roots = append(roots, f[1])
		}
	}
	return roots
}

// newCgroups makes a control group of the container's own in each
// hierarchy systemd uses. systemd-nspawn with --keep-unit puts the
// container under the control group it runs in (as payload/); started in
// the test's own, every container would share one, and the systemd of one
// would stop the units (and kill the processes) of another of the same
// names. It returns the groups' folders.
func newCgroups(name string) ([]string, error) {
	var dirs []string
	for _, root := range cgroupRoots() {
		dir := filepath.Join(root, runName(name))
		if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
			return nil, fmt.Errorf("control group %s: %w", dir, err)
		}
		dirs = append(dirs, dir)
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("no cgroup2 or name=systemd control group hierarchy is mounted")
	}
	return dirs, nil
}

// removeCgroups removes control groups and every group below them,
// deepest first (a group goes only once empty of processes).
func removeCgroups(dirs []string) {
	for _, dir := range dirs {
		var all []string
		_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				all = append(all, path)
			}
			return nil
		})
		sort.Slice(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
		for _, d := range all {
			_ = os.Remove(d)
		}
	}
}

// removeStaleCgroups removes the control groups of runs no longer alive,
// killing first what is left in them (a container that outlived its run).
func removeStaleCgroups() {
	var dirs []string
	for _, root := range cgroupRoots() {
		entries, _ := os.ReadDir(root)
		for _, e := range entries {
			if e.IsDir() && stale(e.Name()) {
				dirs = append(dirs, filepath.Join(root, e.Name()))
			}
		}
	}
	killCgroups(dirs)
	removeCgroups(dirs)
}

// killCgroups kills every process in the control groups and below them
// (cgroup.kill of the v2 hierarchy, whose processes are those of the v1
// groups too), and waits up to 5 seconds for them to go.
func killCgroups(dirs []string) {
	for _, dir := range dirs {
		if os.WriteFile(filepath.Join(dir, "cgroup.kill"), []byte("1"), 0o644) == nil {
			for i := 0; i < 50 && populated(dir); i++ {
				time.Sleep(100 * time.Millisecond)
			}
		}
	}
}

// populated reports whether processes are left in a v2 control group or
// below it.
func populated(dir string) bool {
	events, err := os.ReadFile(filepath.Join(dir, "cgroup.events"))
	return err == nil && strings.Contains(string(events), "populated 1")
}
