package main

import (
	"bufio"
	"io"
	"regexp"
	"strings"
)

// subprocessLine is the CLI's last word on a failed app
// ("go build ... && bin/app: Subprocess exited with error 1"), which only
// repeats that the app's own message, shown above it, is an error.
var subprocessLine = regexp.MustCompile(`: Subprocess exited with error \d+$`)

// supplyLine is the CLI's hint after synthesizing several stacks (the
// regions setting), which make synth answers itself by naming each
// template.
var supplyLine = regexp.MustCompile(`^Supply a stack id \(.*\) to display its template\.$`)

// filterStderr copies the CLI's error output without those lines; lines
// of any length pass whole.
func filterStderr(r io.Reader, w io.Writer) {
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadString('\n')
		if text := strings.TrimRight(line, "\r\n"); line != "" && !subprocessLine.MatchString(text) && !supplyLine.MatchString(text) {
			io.WriteString(w, line)
		}
		if err != nil {
			return
		}
	}
}
