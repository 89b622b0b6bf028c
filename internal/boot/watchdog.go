package boot

import (
	"os"
	"os/exec"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// watchdogScript waits for the run ($1) to end, however it ends, then
// kills what is left in its containers' control groups (a killed run's
// systemd-nspawn dies with it, but a container's PID 1 may outlive it),
// unmounts their overlays and removes their namespaces, folders and
// control groups. After a run that cleaned up after itself it finds
// nothing.
const watchdogScript = `pid=$1; run=$2; tmp=$3; shift 3
while kill -0 "$pid" 2>/dev/null; do sleep 1; done
for root in "$@"; do
  for g in "$root/$run"-*; do
    [ -e "$g/cgroup.kill" ] && echo 1 > "$g/cgroup.kill"
  done
done
sleep 2
awk -v p="$tmp/$run-" 'index($5, p) == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m"; done
for ns in /run/netns/"$run"-*; do
  [ -e "$ns" ] && ip netns delete "${ns##*/}"
done
rm -rf "$tmp/$run"-*
for root in "$@"; do
  for g in "$root/$run"-*; do
    [ -d "$g" ] && find "$g" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
done
exit 0
`

// StartWatchdog starts, once per run, a process of its own session that
// cleans up after this run when it ends, even when it is killed (a go
// test timeout, SIGKILL) and so cannot clean up itself.
func StartWatchdog() error {
	args := append([]string{"-c", watchdogScript, "watchdog", strconv.Itoa(os.Getpid()), runName(""), strings.TrimRight(os.TempDir(), "/")}, cgroupRoots()...)
	cmd := exec.Command("/bin/sh", args...)
	cmd.SysProcAttr = &unix.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	return cmd.Process.Release()
}
