package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// adoptOrphans makes this process the parent of the CLI's descendants that
// outlive it (Linux's child subreaper): the app, when Ctrl-C ends the CLI,
// which does not wait for it.
func adoptOrphans() { unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) }

// awaitOrphans waits, after a signal ended the CLI, until the processes it
// left have ended too: the app stops after its current step and closes its
// jsii kernel, which removes its folder. make then returns, and the
// checkout's lock goes, only when they are done. Another signal ends the
// wait.
func awaitOrphans(signals <-chan os.Signal) {
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		for {
			if _, err := unix.Wait4(-1, nil, 0, nil); err != unix.EINTR {
				return // ECHILD: none left
			}
		}
	}()
	select {
	case <-ended:
	case <-signals:
	}
}
