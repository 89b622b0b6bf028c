package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// lockCheckout takes an exclusive lock on dir/.make.lock, waiting (and
// saying so) while another cdkrun of this checkout holds it. The CLI writes
// every synth into the same cdk.out; two at once would mix their files.
func lockCheckout(dir string, w io.Writer) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, ".make.lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		fmt.Fprintf(w, "waiting for another make synth/deploy/destroy of this checkout to finish (%s)\n", path)
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
	}
	return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
