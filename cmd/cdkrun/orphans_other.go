//go:build !linux

package main

import "os"

// adoptOrphans does nothing here: only Linux lets a process adopt its
// orphaned descendants. The app still cleans up after a signal; make may
// just return first.
func adoptOrphans() {}

// awaitOrphans does nothing here (see adoptOrphans).
func awaitOrphans(signals <-chan os.Signal) {}
