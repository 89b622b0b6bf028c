package classicelb

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// validateTLS checks what the TLS settings need: the redirect something to
// redirect, the default user data one way of serving each port, and
// back-end keys a TLS back end and certificates known before deploy.
func (s *spec) validateTLS(ps *problems) {
	if s.httpsRedirectGiven {
		switch {
		case !s.instances.defaultUserData:
			ps.add("HttpsRedirect", "is true, but UserData is your own, and the redirect is the default user data's; answer requests with X-Forwarded-Proto: http with a 301 in your own server, and drop HttpsRedirect")
		case !s.hasFront(clb.HTTPS):
			ps.add("HttpsRedirect", "is true, but no listener is HTTPS, so there is nowhere to send plain HTTP; add an HTTPS listener or drop HttpsRedirect")
		case !s.hasFront(clb.HTTP):
			ps.add("HttpsRedirect", "is true, but no listener is plain HTTP, so nothing would be sent to HTTPS; drop HttpsRedirect")
		}
	}
	if s.instances.defaultUserData {
		s.validateServedPorts(ps)
	}
	_, tls := s.instancePortsBySide()
	if len(s.backendKeys) == 0 {
		return
	}
	switch {
	case s.instances.defaultUserData:
		ps.add("BackendPublicKeys", "are set, but the default user data makes the instances' certificates at first boot, so their keys cannot be known before deploy; give your own UserData that installs your certificates, or drop BackendPublicKeys")
	case len(tls) == 0:
		ps.add("BackendPublicKeys", "are set, but no listener (nor the health check) reaches the instances over HTTPS or SSL, so there is no certificate to verify; use an HTTPS or SSL instance protocol, or drop BackendPublicKeys")
	}
	for i, key := range s.backendKeys {
		setting := fmt.Sprintf("BackendPublicKeys[%d]", i)
		if s.isUnchecked(setting) {
			continue
		}
		der, err := base64.StdEncoding.DecodeString(key)
		if err == nil {
			_, err = x509.ParsePKIXPublicKey(der)
		}
		if err != nil {
			ps.add(setting, "%q is not base64 of a public key; allowed: the base64 of a DER SubjectPublicKeyInfo (openssl x509 -pubkey -noout -in cert.pem | openssl pkey -pubin -outform DER | base64 -w0)", clip(key))
		}
	}
}

// validateServedPorts blames a listener (or the health check) that reaches
// an instance port the other way (TLS or plain text) than an earlier one:
// the default user data serves a port one way.
func (s *spec) validateServedPorts(ps *problems) {
	first := map[float64]portUse{}
	for _, u := range s.portUses() {
		earlier, seen := first[u.port]
		switch {
		case !seen:
			first[u.port] = u
		case earlier.protocol.IsTLS() != u.protocol.IsTLS() && !s.isUnchecked(u.setting) && u.listener < 0 && s.healthCheck.portDerived:
			// The port was not given: the protocol is what was.
			ps.add("HealthCheck.Protocol", "%s reaches instance port %s %s (the port follows listener 0's), but %s reaches it %s; the default user data serves a port one way: check with %s, or give the health check a port of its own", u.what, portText(u.port), side(u.protocol.IsTLS()), earlier.what, side(earlier.protocol.IsTLS()), earlier.protocol)
		case earlier.protocol.IsTLS() != u.protocol.IsTLS() && !s.isUnchecked(u.setting):
			ps.add(u.setting, "%s reaches instance port %s %s, but %s reaches it %s; the default user data serves a port one way: give them different instance ports", u.what, portText(u.port), side(u.protocol.IsTLS()), earlier.what, side(earlier.protocol.IsTLS()))
		}
	}
}

func side(tls bool) string {
	if tls {
		return "over TLS"
	}
	return "in plain text"
}

// clip shortens a long value for a message.
func clip(v string) string {
	if r := []rune(v); len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return v
}
