package dnsname

import (
	"strings"
	"testing"
)

func TestFull(t *testing.T) {
	for _, c := range []struct {
		zone, record, want string
		ok                 bool
	}{
		{"example.com", "", "example.com", true},
		{"example.com.", "www", "www.example.com", true},
		{"Example.COM", "WWW.example.com.", "www.example.com", true},
		{"example.com", "example.com", "example.com", true},
		{"example.org", "www.example.net", "", false},
		{"example.com", "app.eu", "", false},
		{"example.com", "www.", "", false},
		{"example.com", "*", "*.example.com", true},
	} {
		if got, ok := Full(c.zone, c.record); got != c.want || ok != c.ok {
			t.Errorf("Full(%q, %q) = %q, %v; want %q, %v", c.zone, c.record, got, ok, c.want, c.ok)
		}
	}
}

func TestValid(t *testing.T) {
	for name, want := range map[string]bool{
		"www.example.com": true, "www.example.com.": true, "_dmarc.example.com": true, "a": true,
		"": false, "a..b": false, "-a.com": false, "a-.com": false, "exa mple.com": false, "*.example.com": false,
		strings.Repeat("a.", 127) + "a": false, strings.Repeat("a", 64) + ".com": false,
	} {
		if Valid(name, false) != want {
			t.Errorf("Valid(%q) = %v", name, !want)
		}
	}
	if !Valid("*.example.com", true) || Valid("www.*.example.com", true) {
		t.Error("wildcard: only the first label may be *")
	}
}
