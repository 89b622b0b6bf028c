// Package clb holds facts of the classic load balancer service that more
// than one part of this module reads: its four protocols and the numeric
// limits of its settings. The construct's validation, the app's key docs and
// (through them) the README all read the limits from here, so a range is
// typed once.
package clb
