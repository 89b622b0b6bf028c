// Package dnsname holds the rules for the alias record's name that the
// construct checks and the app needs (for the certificate it requests):
// what a valid name is, and a record's full name in its zone.
package dnsname

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxLength is the longest DNS name, without the final dot.
const MaxLength = 253

// label is one label of a host name (underscores too, which Route 53
// takes), lower case.
var label = regexp.MustCompile(`^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$`)

// Valid reports whether name is a DNS name, with or without the final dot,
// in any letter case; wildcard lets the first label be "*".
func Valid(name string, wildcard bool) bool {
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if name == "" || utf8.RuneCountInString(name) > MaxLength {
		return false
	}
	for i, l := range strings.Split(name, ".") {
		if !label.MatchString(l) && !(wildcard && i == 0 && l == "*") {
			return false
		}
	}
	return true
}

// Full is a record's fully qualified name in zone, lower case without the
// final dot, and whether record lies in the zone. An empty record is the
// apex; a name that ends in the zone's name (in any case) is full; one label
// is relative to the zone; any other name with dots is outside it (Route 53
// tools would append the zone: "www.example.net.example.org").
func Full(zone, record string) (string, bool) {
	zone = strings.TrimSuffix(strings.ToLower(zone), ".")
	name := strings.ToLower(record)
	absolute := strings.HasSuffix(name, ".")
	name = strings.TrimSuffix(name, ".")
	switch {
	case name == "":
		return zone, !absolute
	case name == zone || strings.HasSuffix(name, "."+zone):
		return name, true
	case absolute || strings.Contains(name, "."):
		return "", false
	default:
		return name + "." + zone, true
	}
}
