package boot

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// namePrefix starts the name of everything a run makes (network
// namespaces, control groups, work folders, machines), followed by the
// run's id, so that a later run can find and remove what a killed one
// left.
const namePrefix = "webtier-boot-"

// runID names this run: its process id and start time (in clock ticks
// since boot), so that a later process with a reused id is not taken for
// it.
var runID = fmt.Sprintf("%d.%d", os.Getpid(), startTime(os.Getpid()))

// runName is the name of this run's thing called name ("" for the run's
// own prefix, "webtier-boot-<id>").
func runName(name string) string {
	if name == "" {
		return namePrefix + runID
	}
	return namePrefix + runID + "-" + name
}

// startTime is a process's start time in clock ticks since boot (field 22
// of /proc/PID/stat), 0 when it is gone.
func startTime(pid int) uint64 {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count after it.
	rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
	fields := strings.Fields(rest)
	if len(fields) < 20 {
		return 0
	}
	t, _ := strconv.ParseUint(fields[19], 10, 64)
	return t
}

// stale reports whether name is a thing of a run that no longer runs:
// "webtier-boot-<pid>.<start>-...", whose process is gone or is another
// one now. Names not made so are not stale (not ours to remove).
func stale(name string) bool {
	rest, ok := strings.CutPrefix(name, namePrefix)
	if !ok {
		return false
	}
	id, _, _ := strings.Cut(rest, "-")
	pidText, startText, ok := strings.Cut(id, ".")
	pid, err := strconv.Atoi(pidText)
	if !ok || err != nil || id == runID {
		return false
	}
	start, err := strconv.ParseUint(startText, 10, 64)
	return err == nil && startTime(pid) != start
}

// NewWorkDir makes this run's folder for the containers' overlays.
func NewWorkDir() (string, error) {
	return os.MkdirTemp("", runName("work-"))
}

// RemoveStale removes what runs no longer alive left behind: the
// processes of their containers (through their control groups), their
// network namespaces, and their work folders with the overlays still
// mounted in them.
func RemoveStale() {
	removeStaleCgroups()
	entries, _ := os.ReadDir(netnsDir)
	for _, e := range entries {
		if stale(e.Name()) {
			_ = exec.Command("ip", "netns", "delete", e.Name()).Run()
		}
	}
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), namePrefix+"*"))
	mountinfo, _ := os.ReadFile("/proc/self/mountinfo")
	for _, dir := range dirs {
		if !stale(filepath.Base(dir)) {
			continue
		}
		for _, l := range lines(mountinfo) {
			// The fifth field is the mount point.
			if f := strings.Fields(l); len(f) > 4 && strings.HasPrefix(f[4], dir+"/") {
				_ = unix.Unmount(f[4], unix.MNT_DETACH)
			}
		}
		_ = os.RemoveAll(dir)
	}
}
