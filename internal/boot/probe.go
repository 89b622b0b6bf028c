package boot

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Dialer opens connections as the load balancer does: from the VPC's side.
type Dialer func(ctx context.Context, network, address string) (net.Conn, error)

// clientAddress is the address the load balancer forwards requests from
// (X-Forwarded-For).
const clientAddress = "203.0.113.10"

// CheckHealth asks the health check target once, as the load balancer's
// health checker does, within the check's timeout: TCP opens a
// connection; SSL completes a TLS handshake (without verifying the
// certificate: the load balancer verifies none unless a back-end
// authentication policy names keys); HTTP and HTTPS GET the path (with
// its query string) and pass only on 200, a redirect included among the
// failures. It returns "" when the check passes.
func CheckHealth(ctx context.Context, dial Dialer, addr netip.Addr, h HealthCheck) string {
	ctx, cancel := context.WithTimeout(ctx, h.Timeout)
	defer cancel()
	address := netip.AddrPortFrom(addr, uint16(h.Port)).String()
	switch h.Protocol {
	case "TCP", "SSL":
		conn, err := dial(ctx, "tcp", address)
		if err != nil {
			return fmt.Sprintf("no connection within %s: %v", h.Timeout, err)
		}
		defer conn.Close()
		if h.Protocol == "SSL" {
			if _, err := handshake(ctx, conn, 0); err != nil {
				return fmt.Sprintf("no TLS handshake within %s: %v", h.Timeout, err)
			}
		}
		return ""
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme(h.Protocol)+"://"+address+h.Path, nil)
	if err != nil || req.URL.RequestURI() != h.Path {
		return fmt.Sprintf("the path %q cannot be sent as it is", h.Path)
	}
	req.Header.Set("User-Agent", "ELB-HealthChecker/1.0")
	req.Header.Set("Accept", "*/*")
	resp, err := client(dial, h.Protocol).Do(req)
	if err != nil {
		return fmt.Sprintf("no answer within %s: %v", h.Timeout, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Sprintf("%s, want 200 OK (any other answer is a failed check)%s", resp.Status, answerText(resp, body))
	}
	return ""
}

// CheckListener asks a listener's instance port what a client's request
// through that listener brings, with the instance protocol: for HTTP and
// HTTPS the headers ELB adds (X-Forwarded-For, -Proto, -Port) and the
// site's name; TCP and SSL carry the client's own bytes, an HTTP request
// here. TLS instance ports must negotiate TLS 1.2 or later and refuse TLS
// 1.1 with a protocol-version alert, with the certificate made at boot
// (common name the instance id).
// The default page must answer 200 naming the instance and its zone, but a
// plain HTTP listener of a tier with an HTTPS listener must send the
// browser there with a 301. It returns "" when the answer is right.
func CheckListener(ctx context.Context, dial Dialer, inst Instance, tier *Tier, l Listener, site string) string {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	address := netip.AddrPortFrom(inst.Address.Addr(), uint16(l.InstancePort)).String()
	conn, err := dial(ctx, "tcp", address)
	if err != nil {
		return fmt.Sprintf("no connection: %v", err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	if l.InstanceProtocol == "HTTPS" || l.InstanceProtocol == "SSL" {
		tlsConn, err := handshake(ctx, conn, tls.VersionTLS12)
		if err != nil {
			return fmt.Sprintf("no TLS 1.2+ handshake: %v", err)
		}
		certs := tlsConn.ConnectionState().PeerCertificates
		if len(certs) == 0 || certs[0].Subject.CommonName != inst.ID {
			cn := ""
			if len(certs) > 0 {
				cn = certs[0].Subject.CommonName
			}
			return fmt.Sprintf("presents a certificate for %q, want the one made at boot for the instance id %q", cn, inst.ID)
		}
		// Refused as such: a protocol-version alert, not a timeout or a
		// reset that would pass for a refusal.
		switch old, err := handshakeNew(ctx, dial, address, tls.VersionTLS11); {
		case err == nil:
			old.Close()
			return "accepts TLS 1.1, want TLS 1.2 or later only"
		case !strings.Contains(err.Error(), "protocol version"):
			return fmt.Sprintf("a TLS 1.1 handshake failed without a protocol-version alert (%v), want TLS 1.1 refused as too old", err)
		}
		conn = tlsConn
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+site+"/", nil)
	req.Header.Set("User-Agent", "boot-test")
	req.Close = true
	if l.InstanceProtocol == "HTTP" || l.InstanceProtocol == "HTTPS" {
		req.Header.Set("X-Forwarded-For", clientAddress)
		req.Header.Set("X-Forwarded-Proto", strings.ToLower(l.Protocol))
		req.Header.Set("X-Forwarded-Port", strconv.Itoa(l.Port))
	}
	if err := req.Write(conn); err != nil {
		return fmt.Sprintf("cannot send a request: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return fmt.Sprintf("no HTTP answer: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if https, ok := tier.redirectPort(l); ok {
		want := "https://" + site + "/"
		if https != 443 {
			want = fmt.Sprintf("https://%s:%d/", site, https)
		}
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
			return fmt.Sprintf("%s, want 301 Moved Permanently to %s (plain HTTP goes to the HTTPS listener)%s", resp.Status, want, answerText(resp, body))
		}
		return ""
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Sprintf("%s, want 200 OK with the default page%s", resp.Status, answerText(resp, body))
	}
	if !strings.Contains(string(body), inst.ID) || !strings.Contains(string(body), inst.Zone) {
		return fmt.Sprintf("200 OK, but the page does not name the instance %s and its zone %s: %q", inst.ID, inst.Zone, clip(string(body)))
	}
	return ""
}

// redirectPort is the HTTPS listener's port that a plain HTTP listener's
// requests are sent to, when the tier has both.
func (t *Tier) redirectPort(l Listener) (int, bool) {
	if l.Protocol != "HTTP" {
		return 0, false
	}
	for _, o := range t.Listeners {
		if o.Protocol == "HTTPS" {
			return o.Port, true
		}
	}
	return 0, false
}

func scheme(protocol string) string {
	if protocol == "HTTPS" {
		return "https"
	}
	return "http"
}

// client speaks HTTP or HTTPS through dial, follows no redirect and keeps
// no connection.
func client(dial Dialer, protocol string) *http.Client {
	tr := &http.Transport{DialContext: dial, DisableKeepAlives: true}
	if protocol == "HTTPS" {
		tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// handshake runs a TLS client handshake on conn, verifying no certificate
// (as the load balancer); minVersion is the oldest version offered, 0 for
// Go's default.
func handshake(ctx context.Context, conn net.Conn, minVersion uint16) (*tls.Conn, error) {
	cfg := &tls.Config{InsecureSkipVerify: true}
	if minVersion != 0 {
		cfg.MinVersion = minVersion
	}
	c := tls.Client(conn, cfg)
	if err := c.HandshakeContext(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// handshakeNew opens a connection that offers TLS versions up to
// maxVersion only.
func handshakeNew(ctx context.Context, dial Dialer, address string, maxVersion uint16) (*tls.Conn, error) {
	conn, err := dial(ctx, "tcp", address)
	if err != nil {
		return nil, err
	}
	c := tls.Client(conn, &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS10, MaxVersion: maxVersion})
	if err := c.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return c, nil
}

// answerText shows a wrong answer's Location and the start of its body.
func answerText(resp *http.Response, body []byte) string {
	out := ""
	if loc := resp.Header.Get("Location"); loc != "" {
		out += " (Location: " + loc + ")"
	}
	if b := strings.TrimSpace(string(body)); b != "" {
		out += ": " + strconv.Quote(clip(b))
	}
	return out
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}
