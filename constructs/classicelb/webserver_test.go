package classicelb

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The page server and the certificate the default user data makes, run
// here as they run on an instance: python3 and openssl, as Amazon Linux
// 2023 has them.

// startPageServer runs webserver.py with args on a free local port and
// returns its address once it accepts connections.
func startPageServer(t *testing.T, env []string, args ...string) string {
	t.Helper()
	return startServer(t, webServer, nil, env, args...)
}

// startServer runs a page server's source (after the launcher's words, a
// python3 command line that runs the script it is given) with args.
func startServer(t *testing.T, source string, launcher, env []string, args ...string) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "webserver.py")
	site := filepath.Join(dir, "www")
	if err := os.WriteFile(script, []byte(source), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(site, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(site, "index.html"), []byte("<h1>Hello from i-0123</h1>"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	words := append(append(append([]string(nil), launcher...), script, fmt.Sprint(port), "--bind", "127.0.0.1", "--directory", site), args...)
	cmd := exec.Command(python, words...)
	cmd.Env = append(os.Environ(), env...)
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page server did not start: %s", stderr)
		}
	}
}

// get sends one request with the headers the load balancer adds.
func get(t *testing.T, client *http.Client, url, host, proto string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	if proto != "" {
		req.Header.Set("X-Forwarded-Proto", proto)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestPageServerSendsPlainHTTPToHTTPS(t *testing.T) {
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct{ httpsPort, host, location string }{
		{"443", "shop.example.org", "https://shop.example.org/cart?item=1"},
		{"8443", "shop.example.org:80", "https://shop.example.org:8443/cart?item=1"},
		{"443", "[2001:db8::1]:80", "https://[2001:db8::1]/cart?item=1"},
	} {
		addr := startPageServer(t, nil, "--redirect-https", c.httpsPort, "--health", DefaultHealthCheckPath)
		base := "http://" + addr
		resp := get(t, noFollow, base+"/cart?item=1", c.host, "http")
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != c.location {
			t.Errorf("plain HTTP: %d to %q, want 301 to %q", resp.StatusCode, resp.Header.Get("Location"), c.location)
		}
		// A bad Host header gets no redirect anywhere.
		if resp := get(t, noFollow, base+"/cart", "evil/x", "http"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("bad Host: %d, want 400", resp.StatusCode)
		}
		// The health check path through the plain HTTP listener goes to
		// HTTPS too; the load balancer's own ping (no header) is answered.
		if resp := get(t, noFollow, base+DefaultHealthCheckPath, "shop.example.org", "http"); resp.StatusCode != http.StatusMovedPermanently {
			t.Errorf("health path over plain HTTP: %d, want 301", resp.StatusCode)
		}
		if resp := get(t, noFollow, base+DefaultHealthCheckPath, addr, ""); resp.StatusCode != http.StatusOK {
			t.Errorf("health check: %d, want 200", resp.StatusCode)
		}
		// What came over HTTPS, and the load balancer's own pings (no
		// header), are served.
		if resp := get(t, noFollow, base+"/", "shop.example.org", "https"); resp.StatusCode != http.StatusOK {
			t.Errorf("over HTTPS: %d, want 200", resp.StatusCode)
		}
		if resp := get(t, noFollow, base+"/", addr, ""); resp.StatusCode != http.StatusOK {
			t.Errorf("without X-Forwarded-Proto: %d, want 200", resp.StatusCode)
		}
	}
}

func TestPageServerServesTLSWithTheBootCertificate(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed")
	}
	// The user data's own certificate lines, into a folder of the test's.
	script := userDataScriptFor(pageServer{TLSPorts: []string{"443"}, HealthPath: DefaultHealthCheckPath})
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(script))
	for keep := false; sc.Scan(); {
		line := sc.Text()
		keep = keep || strings.HasPrefix(line, "install -d -m 0700 /etc/webtier")
		if keep {
			lines = append(lines, line)
		}
		if keep && !strings.HasSuffix(line, `\`) && strings.HasPrefix(strings.TrimSpace(line), "-keyout") {
			break
		}
	}
	if len(lines) < 3 {
		t.Fatalf("the script's certificate lines are not where expected:\n%s", script)
	}
	credentials := t.TempDir()
	certLines := strings.ReplaceAll(strings.Join(lines, "\n"), "/etc/webtier", credentials)
	if out, err := exec.Command("bash", "-euo", "pipefail", "-c", "instance_id=i-0123456789abcdef0\n"+certLines).CombinedOutput(); err != nil {
		t.Fatalf("making the certificate: %v\n%s", err, out)
	}
	addr := startPageServer(t, []string{"CREDENTIALS_DIRECTORY=" + credentials}, "--tls", "--redirect-https", "443", "--health", DefaultHealthCheckPath)

	// A connection that never says a word holds up nobody else's handshake.
	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()

	// The load balancer does not verify back-end certificates (without a
	// back-end authentication policy), so neither does this client.
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// HTTP 80 in front of this TLS port: plain HTTP is sent to HTTPS here too.
	if resp := get(t, client, "https://"+addr+"/cart", "shop.example.org", "http"); resp.StatusCode != http.StatusMovedPermanently {
		t.Errorf("plain HTTP to a TLS instance port: %d, want 301", resp.StatusCode)
	}
	resp, err := client.Get("https://" + addr + DefaultHealthCheckPath)
	if err != nil {
		t.Fatalf("HTTPS health check: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Fatalf("HTTPS health check: %d over %v", resp.StatusCode, resp.TLS)
	}
	if cn := resp.TLS.PeerCertificates[0].Subject.CommonName; cn != "i-0123456789abcdef0" {
		t.Errorf("certificate for %q, want the instance id", cn)
	}
}

// TestPageServerAnswersTheHealthCheckPath: the load balancer's ping of a
// path that is no page gets 200, whatever its query string, and a path
// that is a page gets the page; through an HTTPS listener too; through a
// plain HTTP listener beside HTTPS it goes to HTTPS like any request;
// other paths keep their 404.
func TestPageServerAnswersTheHealthCheckPath(t *testing.T) {
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct {
		args []string
		path string
		want string
	}{
		{[]string{"--health", "/healthz"}, "/healthz", "ok\n"},
		{[]string{"--health", "/healthz"}, "/healthz?from=elb", "ok\n"},
		{[]string{"--health", "/status/ok", "--redirect-https", "443"}, "/status/ok?probe=1", "ok\n"},
		{[]string{"--health", "/index.html", "--redirect-https", "443"}, "/index.html?x", "<h1>Hello from i-0123</h1>"},
		{[]string{"--health", "/"}, "/", "<h1>Hello from i-0123</h1>"},
	} {
		base := "http://" + startPageServer(t, nil, c.args...)
		redirects := slices.Contains(c.args, "--redirect-https")
		for _, proto := range []string{"", "https", "http"} {
			req, _ := http.NewRequest(http.MethodGet, base+c.path, nil)
			req.Host = "shop.example.org"
			if proto != "" {
				req.Header.Set("X-Forwarded-Proto", proto)
			}
			resp, err := noFollow.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if proto == "http" && redirects {
				if resp.StatusCode != http.StatusMovedPermanently {
					t.Errorf("%v, GET %s over plain HTTP: %d, want 301", c.args, c.path, resp.StatusCode)
				}
				continue
			}
			if resp.StatusCode != http.StatusOK || string(body) != c.want {
				t.Errorf("%v, GET %s (X-Forwarded-Proto %q): %d %q, want 200 %q", c.args, c.path, proto, resp.StatusCode, body, c.want)
			}
		}
		if resp := get(t, noFollow, base+"/missing", "shop.example.org", ""); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%v: another path: %d, want 404", c.args, resp.StatusCode)
		}
	}
}

// TestPageServerRunsOnAmazonLinuxPython: webserver.py parses as Python 3.9,
// the version Amazon Linux 2023 ships (the machine's python3 is newer).
func TestPageServerRunsOnAmazonLinuxPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	check := `import ast, sys; ast.parse(sys.stdin.read(), feature_version=(3, 9))`
	cmd := exec.Command(python, "-c", check)
	cmd.Stdin = strings.NewReader(webServer)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("webserver.py is not Python 3.9: %v\n%s", err, out)
	}
	// It can fail: a match statement is Python 3.10.
	cmd = exec.Command(python, "-c", check)
	cmd.Stdin = strings.NewReader("match x:\n    case 1:\n        pass\n")
	if err := cmd.Run(); err == nil {
		t.Error("the check accepts Python 3.10 syntax")
	}
}

// permissiveTLS makes Python and OpenSSL allow TLS 1.0 and 1.1, as Python
// 3.9 may (Python 3.10 and later refuse them by default, so this machine's
// Python alone would hide a page server without its own minimum): every
// SSL context starts at TLS 1.0 with every cipher.
const permissiveTLS = `import runpy, ssl, sys, warnings
warnings.simplefilter("ignore")
def permissive(self, *args, **kwargs):
    self.minimum_version = ssl.TLSVersion.TLSv1
    self.set_ciphers("DEFAULT@SECLEVEL=0")
ssl.SSLContext.__init__ = permissive
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
`

const permissiveOpenSSL = `openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1
CipherString = DEFAULT@SECLEVEL=0
`

// TestPageServerRefusesTLS11: on a Python and OpenSSL that allow TLS 1.1,
// the page server still refuses it with a protocol-version alert, and
// negotiates TLS 1.2; a copy without its minimum accepts TLS 1.1 there,
// so the test can fail.
func TestPageServerRefusesTLS11(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed")
	}
	dir := t.TempDir()
	if out, err := exec.Command("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=i-0123",
		"-keyout", filepath.Join(dir, "tls.key"), "-out", filepath.Join(dir, "tls.crt")).CombinedOutput(); err != nil {
		t.Fatalf("openssl: %v\n%s", err, out)
	}
	launcher := filepath.Join(dir, "launch.py")
	config := filepath.Join(dir, "openssl.cnf")
	for path, text := range map[string]string{launcher: permissiveTLS, config: permissiveOpenSSL} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"CREDENTIALS_DIRECTORY=" + dir, "OPENSSL_CONF=" + config}
	dial := func(addr string, max uint16) error {
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS10, MaxVersion: max})
		if err == nil {
			conn.Close()
		}
		return err
	}
	addr := startServer(t, webServer, []string{launcher}, env, "--tls")
	if err := dial(addr, tls.VersionTLS11); err == nil || !strings.Contains(err.Error(), "protocol version") {
		t.Errorf("TLS 1.1: %v, want a protocol-version alert", err)
	}
	if err := dial(addr, tls.VersionTLS12); err != nil {
		t.Errorf("TLS 1.2: %v", err)
	}
	withoutMinimum := strings.Replace(webServer, "context.minimum_version = ssl.TLSVersion.TLSv1_2", "pass", 1)
	if withoutMinimum == webServer {
		t.Fatal("webserver.py no longer sets its minimum the way this test removes it")
	}
	if err := dial(startServer(t, withoutMinimum, []string{launcher}, env, "--tls"), tls.VersionTLS11); err != nil {
		t.Errorf("without its minimum, the page server refuses TLS 1.1 here too (%v): the test cannot fail", err)
	}
}
