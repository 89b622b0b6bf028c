//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
	"unsafe"
)

// runInTerminal runs a bash command line on a pseudo-terminal of its own,
// as a user's shell runs it, and answers y to each "(y/n)" question that
// appears (the CLI's approval of security changes). It returns what the
// terminal showed, how many questions it answered, and the command's error.
// The command's process group is killed when ctx ends.
func runInTerminal(ctx context.Context, dir string, env []string, line string) (string, int, error) {
	master, slave, err := openTerminal()
	if err != nil {
		return "", 0, err
	}
	defer master.Close()
	cmd := exec.CommandContext(ctx, "bash", "-c", line)
	cmd.Dir, cmd.Env = dir, env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	// A session of its own with the terminal as its controlling one: the
	// CLI sees a TTY, as on a user's shell, and the group can be killed.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	err = cmd.Start()
	slave.Close()
	if err != nil {
		return "", 0, err
	}
	var shown syncBuffer
	read := make(chan struct{})
	go func() {
		defer close(read)
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			shown.Write(buf[:n])
			if err != nil { // EIO once every holder of the terminal is gone
				return
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	answered := 0
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-exited:
			select {
			case <-read:
			case <-time.After(5 * time.Second):
			}
			return shown.String(), answered, err
		case <-tick.C:
			for asked := strings.Count(shown.String(), "(y/n)"); answered < asked; answered++ {
				if _, err := master.Write([]byte("y\n")); err != nil {
					return shown.String(), answered, fmt.Errorf("answering the terminal: %w", err)
				}
			}
		}
	}
}

// openTerminal opens a new pseudo-terminal pair (/dev/ptmx), 50 x 200.
func openTerminal() (master, slave *os.File, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, nil, err
	}
	ioctl := func(f *os.File, req uintptr, arg unsafe.Pointer) error {
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), req, uintptr(arg)); e != 0 {
			return e
		}
		return nil
	}
	var unlock int32
	var n uint32
	if err = ioctl(master, syscall.TIOCSPTLCK, unsafe.Pointer(&unlock)); err == nil {
		err = ioctl(master, syscall.TIOCGPTN, unsafe.Pointer(&n))
	}
	if err == nil {
		slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	}
	if err == nil {
		size := struct{ rows, cols, x, y uint16 }{50, 200, 0, 0}
		err = ioctl(slave, syscall.TIOCSWINSZ, unsafe.Pointer(&size))
	}
	if err != nil {
		master.Close()
		if slave != nil {
			slave.Close()
		}
		return nil, nil, fmt.Errorf("pseudo-terminal: %w", err)
	}
	return master, slave, nil
}

// syncBuffer is a bytes.Buffer safe to read while a command writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
