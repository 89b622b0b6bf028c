package boot

import (
	"bytes"
	"strings"
)

// lines splits output into lines, without the last newline; at least one.
func lines(b []byte) []string {
	s := strings.TrimRight(string(b), "\n")
	if s == "" {
		return []string{""}
	}
	return strings.Split(s, "\n")
}

// tail is the last n lines of out.
func tail(out []byte, n int) string {
	l := lines(bytes.TrimSpace(out))
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, "\n")
}
