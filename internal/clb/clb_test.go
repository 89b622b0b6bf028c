package clb

import (
	"math"
	"testing"
)

func TestProtocolQuestions(t *testing.T) {
	for _, c := range []struct {
		p             Protocol
		tls, l7       bool
		plain, secure Protocol
		sameLayer     string
	}{
		{HTTP, false, true, HTTP, HTTPS, "HTTP or HTTPS"},
		{HTTPS, true, true, HTTP, HTTPS, "HTTP or HTTPS"},
		{TCP, false, false, TCP, SSL, "TCP or SSL"},
		{SSL, true, false, TCP, SSL, "TCP or SSL"},
	} {
		if c.p.IsTLS() != c.tls || c.p.IsL7() != c.l7 || c.p.Plain() != c.plain || c.p.Secure() != c.secure || c.p.SameLayer() != c.sameLayer || !c.p.Valid() {
			t.Errorf("%s: tls %v l7 %v plain %s secure %s layer %q", c.p, c.p.IsTLS(), c.p.IsL7(), c.p.Plain(), c.p.Secure(), c.p.SameLayer())
		}
	}
	for _, bad := range []Protocol{"", "http", "UDP", "HTTP2"} {
		if bad.Valid() {
			t.Errorf("%q is valid", bad)
		}
	}
	if got := Normalize(" tcp\n"); got != TCP {
		t.Errorf("Normalize: %q", got)
	}
	if got := List(); got != "HTTP, HTTPS, TCP, SSL" {
		t.Errorf("List: %q", got)
	}
}

func TestRange(t *testing.T) {
	if got := HealthCheckTimeout.String(); got != "2-60 seconds" {
		t.Errorf("String: %q", got)
	}
	if got := Port.String(); got != "1-65535" {
		t.Errorf("String: %q", got)
	}
	for v, want := range map[float64]bool{2: true, 60: true, 1: false, 61: false, 2.5: false, math.NaN(): false, math.Inf(1): false} {
		if HealthCheckTimeout.Contains(v) != want {
			t.Errorf("Contains(%v) = %v", v, !want)
		}
	}
	if Instances.Max != 250 {
		t.Errorf("instances: %d (two resources each in a 500-resource stack)", Instances.Max)
	}
}

func TestCertificateArns(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:acm:ap-northeast-2:111122223333:certificate/abc":   "ap-northeast-2",
		"arn:aws-cn:acm:cn-north-1:111122223333:certificate/abc":    "cn-north-1",
		"arn:aws:iam::111122223333:server-certificate/web":          "",
		"ap-northeast-2=arn:aws:acm:ap-northeast-2:1:certificate/x": "",
	} {
		if got := ACMRegion(arn); got != want {
			t.Errorf("ACMRegion(%q) = %q, want %q", arn, got, want)
		}
	}
	if !IsIAMCertificate("arn:aws:iam::111122223333:server-certificate/web") || IsIAMCertificate("arn:aws:acm:us-east-1:1:certificate/x") || IsIAMCertificate("web:iam::") {
		t.Error("IsIAMCertificate")
	}
}
