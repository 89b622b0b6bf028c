package clb

import "strings"

// Protocol is a classic load balancer protocol, as CloudFormation spells it.
type Protocol string

// The four protocols.
const (
	HTTP  Protocol = "HTTP"
	HTTPS Protocol = "HTTPS"
	TCP   Protocol = "TCP"
	SSL   Protocol = "SSL"
)

// Protocols are the valid protocols, in the console's order.
var Protocols = []Protocol{HTTP, HTTPS, TCP, SSL}

// Valid reports whether p is one of the four protocols (upper case).
func (p Protocol) Valid() bool {
	for _, q := range Protocols {
		if p == q {
			return true
		}
	}
	return false
}

// IsTLS reports whether the protocol speaks TLS: HTTPS and SSL.
func (p Protocol) IsTLS() bool { return p == HTTPS || p == SSL }

// IsL7 reports whether the protocol is HTTP-aware (HTTP and HTTPS); TCP and
// SSL are layer 4. A listener's two sides must be on the same layer.
func (p Protocol) IsL7() bool { return p == HTTP || p == HTTPS }

// Plain is the protocol of the same layer without TLS: HTTP or TCP.
func (p Protocol) Plain() Protocol {
	if p.IsL7() {
		return HTTP
	}
	return TCP
}

// Secure is the protocol of the same layer with TLS: HTTPS or SSL.
func (p Protocol) Secure() Protocol {
	if p.IsL7() {
		return HTTPS
	}
	return SSL
}

// SameLayer names the protocols a listener's other side may use: "HTTP or
// HTTPS", or "TCP or SSL".
func (p Protocol) SameLayer() string {
	return string(p.Plain()) + " or " + string(p.Secure())
}

// List is "HTTP, HTTPS, TCP, SSL", for messages.
func List() string {
	names := make([]string, len(Protocols))
	for i, p := range Protocols {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

// Normalize upper-cases and trims what a user typed ("tcp " becomes TCP); it
// does not check it (Valid does).
func Normalize(s string) Protocol {
	return Protocol(strings.ToUpper(strings.TrimSpace(s)))
}
