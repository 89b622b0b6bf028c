//go:build e2e

package e2e

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// motoChildEnv makes the test binary start moto, print its pid and wait.
const motoChildEnv = "E2E_MOTO_CHILD"

// TestMotoEndsWithTheTest: however the test process ends (Ctrl-C on `make
// e2e`, which signals its whole process group; or a kill it cannot handle,
// such as go test's timeout), moto_server ends with it instead of staying up
// with PPID 1.
func TestMotoEndsWithTheTest(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			child := exec.Command(os.Args[0], "-test.run=^$")
			child.Env = append(os.Environ(), motoChildEnv+"=1")
			// Its own process group (the signal is for it alone), and killed
			// with this test if this test is interrupted first.
			child.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
			out, err := child.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := child.Start(); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(out).ReadString('\n')
			pid, convErr := strconv.Atoi(strings.TrimSpace(line))
			if err != nil || convErr != nil {
				child.Process.Kill()
				t.Fatalf("child did not report moto's pid: %q %v", line, err)
			}
			// As the terminal does on Ctrl-C: the test's process group.
			if err := syscall.Kill(-child.Process.Pid, sig); err != nil {
				t.Fatal(err)
			}
			child.Wait()
			deadline := time.Now().Add(20 * time.Second)
			for alive(pid) {
				if time.Now().After(deadline) {
					syscall.Kill(-pid, syscall.SIGKILL)
					t.Fatalf("moto_server (pid %d) outlived the test process ended by %v", pid, sig)
				}
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
}

// alive reports whether a process exists and is not a zombie.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// pid (comm) state ...: Z is a zombie, already ended.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z"
}
