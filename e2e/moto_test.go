//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// motoServer is moto_server running in its own process group on a free
// loopback port.
type motoServer struct {
	cmd  *exec.Cmd
	port int
	log  *os.File
	once sync.Once
}

// startMoto starts .venv/bin/moto_server and waits until it answers.
func startMoto(root string) (*motoServer, error) {
	bin := filepath.Join(root, ".venv", "bin", "moto_server")
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("moto_server is not installed; run `make e2e`: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	log, err := os.CreateTemp("", "moto-*.log")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	cmd.Stdout, cmd.Stderr = log, log
	// Its own process group, so that a Ctrl-C meant for the test does not
	// reach it half-way; and killed by the kernel if the test process dies
	// without stopping it (go test's -timeout, SIGKILL).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	m := &motoServer{cmd: cmd, port: port, log: log}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		resp, err := http.Get(m.url("127.0.0.1") + "/moto-api/")
		if err == nil {
			resp.Body.Close()
			return m, nil
		}
		select {
		case <-ctx.Done():
			m.stop()
			return nil, fmt.Errorf("moto_server did not answer on port %d within 60 s (log: %s)", port, log.Name())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stopOnSignal stops moto when the test is interrupted (Ctrl-C reaches the
// whole process group of `make e2e`) or terminated, then exits as the signal
// would have.
func stopOnSignal(m *motoServer) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		sig := <-signals
		fmt.Fprintf(os.Stderr, "e2e: %v: stopping moto_server\n", sig)
		m.stop()
		removeTools()
		os.Exit(128 + int(sig.(syscall.Signal)))
	}()
}

func (m *motoServer) url(host string) string { return fmt.Sprintf("http://%s:%d", host, m.port) }

// stop ends the whole process group: SIGTERM, then SIGKILL after 10 s. It
// runs once, whoever calls it first.
func (m *motoServer) stop() { m.once.Do(m.stopNow) }

func (m *motoServer) stopNow() {
	pgid := m.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
	m.log.Close()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
