package boot

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// The probes asked of servers on this machine's loopback, dialled
// directly: each answer the load balancer takes for healthy passes, each
// other fails with what it got.

var localDial Dialer = (&net.Dialer{}).DialContext

// serve runs handler on a loopback port, over TLS with a certificate for
// cn when minTLS is not 0, and returns the port.
func serve(t *testing.T, handler http.HandlerFunc, cn string, minTLS uint16) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if minTLS != 0 {
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{selfSigned(t, cn)}, MinVersion: minTLS})
	}
	srv := &http.Server{Handler: handler, ErrorLog: log.New(io.Discard, "", 0)}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

func selfSigned(t *testing.T, cn string) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: cn}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

var loopback = netip.MustParseAddr("127.0.0.1")

func TestCheckHealth(t *testing.T) {
	page := func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.RequestURI() {
		case "/healthz?from=elb":
			w.Write([]byte("ok"))
		case "/moved":
			http.Redirect(w, r, "https://example.com/", http.StatusMovedPermanently)
		case "/slow":
			time.Sleep(3 * time.Second)
		default:
			http.NotFound(w, r)
		}
	}
	plain := serve(t, page, "", 0)
	tlsPort := serve(t, page, "i-1", tls.VersionTLS12)
	closed := func() int {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		defer ln.Close()
		return ln.Addr().(*net.TCPAddr).Port
	}()
	sec := time.Second
	for _, c := range []struct {
		h    HealthCheck
		want string // "" passes
	}{
		{HealthCheck{Protocol: "HTTP", Port: plain, Path: "/healthz?from=elb", Timeout: sec}, ""},
		{HealthCheck{Protocol: "HTTPS", Port: tlsPort, Path: "/healthz?from=elb", Timeout: sec}, ""},
		{HealthCheck{Protocol: "TCP", Port: plain, Timeout: sec}, ""},
		{HealthCheck{Protocol: "SSL", Port: tlsPort, Timeout: sec}, ""},
		{HealthCheck{Protocol: "HTTP", Port: plain, Path: "/healthz", Timeout: sec}, "404 Not Found, want 200 OK"},
		{HealthCheck{Protocol: "HTTP", Port: plain, Path: "/moved", Timeout: sec}, "301 Moved Permanently, want 200 OK (any other answer is a failed check) (Location: https://example.com/)"},
		{HealthCheck{Protocol: "HTTP", Port: plain, Path: "/slow", Timeout: sec}, "no answer within 1s"},
		{HealthCheck{Protocol: "TCP", Port: closed, Timeout: sec}, "no connection within 1s"},
		{HealthCheck{Protocol: "SSL", Port: plain, Timeout: sec}, "no TLS handshake within 1s"},
		{HealthCheck{Protocol: "HTTPS", Port: plain, Path: "/healthz?from=elb", Timeout: sec}, "no answer within 1s"},
	} {
		got := CheckHealth(context.Background(), localDial, loopback, c.h)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s:%d%s: got %q, want %q", c.h.Protocol, c.h.Port, c.h.Path, got, c.want)
		}
	}
}

func TestCheckListener(t *testing.T) {
	inst := Instance{ID: "i-0123", Zone: "ap-northeast-2a", Address: netip.MustParsePrefix("127.0.0.1/8")}
	body := "<h1>Hello from i-0123</h1><p>Availability Zone: ap-northeast-2a</p>"
	// The default page server: the page, or the redirect of plain HTTP.
	good := func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Forwarded-Proto") == "http" {
			w.Header().Set("Location", "https://"+r.Host+"/")
			w.WriteHeader(http.StatusMovedPermanently)
			return
		}
		w.Write([]byte(body))
	}
	noRedirect := func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(body)) }
	otherPage := func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<h1>It works</h1>")) }
	plain := serve(t, good, "", 0)
	pages := serve(t, noRedirect, "", 0)
	other := serve(t, otherPage, "", 0)
	tls12 := serve(t, good, "i-0123", tls.VersionTLS12)
	tls10 := serve(t, good, "i-0123", tls.VersionTLS10)
	wrongCert := serve(t, good, "example.com", tls.VersionTLS12)
	https := func(port int) Listener { return Listener{"HTTPS", 443, "HTTPS", port} }
	withRedirect := &Tier{Listeners: []Listener{{"HTTPS", 443, "HTTP", plain}, {"HTTP", 80, "HTTP", plain}}}
	alone := &Tier{Listeners: []Listener{{"HTTP", 80, "HTTP", pages}}}
	for _, c := range []struct {
		tier *Tier
		l    Listener
		want string
	}{
		{withRedirect, withRedirect.Listeners[0], ""},
		{withRedirect, withRedirect.Listeners[1], ""},
		{alone, alone.Listeners[0], ""},
		{alone, Listener{"TCP", 80, "TCP", pages}, ""},
		{alone, https(tls12), ""},
		{alone, Listener{"SSL", 443, "SSL", tls12}, ""},
		{withRedirect, Listener{"HTTP", 80, "HTTP", pages}, "200 OK, want 301 Moved Permanently to https://www.example.com/"},
		{alone, Listener{"HTTP", 80, "HTTP", other}, "does not name the instance i-0123 and its zone ap-northeast-2a"},
		{alone, https(tls10), "accepts TLS 1.1, want TLS 1.2 or later only"},
		{alone, https(wrongCert), `presents a certificate for "example.com", want the one made at boot for the instance id "i-0123"`},
		{alone, https(pages), "no TLS 1.2+ handshake"},
	} {
		got := CheckListener(context.Background(), localDial, inst, c.tier, c.l, "www.example.com")
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.l, got, c.want)
		}
	}
}
