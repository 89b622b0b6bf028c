package classicelb

import (
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
)

// TestUserDataRetriesTheMetadataService runs the default script's metadata
// part with bash and curl against a fake IMDSv2 that refuses its first
// calls, as the service can early in boot: the script must still read the
// instance id and zone instead of giving up under `set -e`.
func TestUserDataRetriesTheMetadataService(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	var calls, failures atomic.Int32
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			failures.Add(1)
			http.Error(w, "not yet", http.StatusServiceUnavailable)
			return
		}
		switch {
		case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token":
			w.Write([]byte("tok"))
		case r.Header.Get("X-aws-ec2-metadata-token") != "tok":
			http.Error(w, "no token", http.StatusUnauthorized)
		case r.URL.Path == "/latest/meta-data/instance-id":
			w.Write([]byte("i-0123456789abcdef0"))
		case r.URL.Path == "/latest/meta-data/placement/availability-zone":
			w.Write([]byte("ap-northeast-2a"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer imds.Close()

	script := userDataScriptFor(pageServer{Ports: []string{"80"}})
	// Only the part that talks to the metadata service; the rest writes
	// under /var/www and /etc/systemd.
	metadata, _, found := strings.Cut(script, "install -d")
	if !found || !strings.Contains(metadata, "http://169.254.169.254/latest") {
		t.Fatalf("the script's layout changed:\n%s", script)
	}
	metadata = strings.ReplaceAll(metadata, "http://169.254.169.254", imds.URL)
	metadata = strings.Replace(metadata, "--retry-delay 5", "--retry-delay 0", 1)
	out, err := exec.Command("bash", "-c", metadata+"\necho \"$instance_id $zone\"").CombinedOutput()
	if err != nil {
		t.Fatalf("the script gave up: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); !strings.HasSuffix(got, "i-0123456789abcdef0 ap-northeast-2a") {
		t.Errorf("read %q", got)
	}
	if failures.Load() != 2 {
		t.Errorf("the fake service refused %d calls, want 2", failures.Load())
	}
}

// TestUserDataServesTheHealthCheckPath: python3 -m http.server serves the
// pages; a health check path that is no page (its query string aside)
// brings the page server, told the path, on every port; the console's
// /index.html keeps the plain server (and so the tutorial's user data).
func TestUserDataServesTheHealthCheckPath(t *testing.T) {
	for _, c := range []struct {
		p    pageServer
		want []string
		not  []string
	}{
		{pageServer{Ports: []string{"80"}, HealthPath: "/index.html"}, []string{"python3 -m http.server %i"}, []string{"webserver.py"}},
		{pageServer{Ports: []string{"80"}, HealthPath: "/"}, []string{"python3 -m http.server %i"}, []string{"webserver.py"}},
		{pageServer{Ports: []string{"80"}}, []string{"python3 -m http.server %i"}, []string{"webserver.py"}},
		{pageServer{Ports: []string{"80", "8080"}, HealthPath: "/healthz"}, []string{`webserver.py %i --health "/healthz"`, "webtier-http@8080.service"}, []string{"http.server %i"}},
		{pageServer{TLSPorts: []string{"443"}, HealthPath: "/ping"}, []string{`webserver.py %i --tls --health "/ping"`}, nil},
		{pageServer{Ports: []string{"80"}, Redirect: "443", HealthPath: "/index.html"}, []string{`webserver.py %i --redirect-https 443 --health "/index.html"`}, nil},
	} {
		script := userDataScriptFor(c.p)
		for _, w := range c.want {
			if !strings.Contains(script, w) {
				t.Errorf("%+v: the script lacks %q", c.p, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(script, n) {
				t.Errorf("%+v: the script has %q", c.p, n)
			}
		}
	}
}
