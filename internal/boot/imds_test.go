package boot

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

var testInstance = Instance{ID: "i-0123456789abcdef0", ImageID: "ami-0123456789abcdef0", Type: "t3.micro", Zone: "ap-northeast-2a", Region: "ap-northeast-2", Address: netip.MustParsePrefix("10.0.2.10/24")}

func ask(t *testing.T, srv *httptest.Server, method, path string, header map[string]string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestIMDSv2Only: as for an instance with HttpTokens required, nothing
// answers without a token, and a token takes a PUT with a TTL and no
// X-Forwarded-For.
func TestIMDSv2Only(t *testing.T) {
	imds := NewIMDS(testInstance, []byte("#!/bin/bash\necho hi\n"))
	srv := httptest.NewServer(imds)
	defer srv.Close()
	if code, _ := ask(t, srv, "GET", "/latest/meta-data/instance-id", nil); code != 401 {
		t.Errorf("IMDSv1 GET: %d, want 401", code)
	}
	if code, _ := ask(t, srv, "PUT", "/latest/api/token", nil); code != 400 {
		t.Errorf("token without a TTL: %d, want 400", code)
	}
	if code, _ := ask(t, srv, "PUT", "/latest/api/token", map[string]string{tokenTTLHeader: "21601"}); code != 400 {
		t.Errorf("token with a TTL over 6 hours: %d, want 400", code)
	}
	if code, _ := ask(t, srv, "PUT", "/latest/api/token", map[string]string{tokenTTLHeader: "300", "X-Forwarded-For": "1.2.3.4"}); code != 403 {
		t.Errorf("token through a proxy: %d, want 403", code)
	}
	code, token := ask(t, srv, "PUT", "/latest/api/token", map[string]string{tokenTTLHeader: "300"})
	if code != 200 || len(token) < 32 {
		t.Fatalf("token: %d %q", code, token)
	}
	with := map[string]string{tokenHeader: token}
	for _, c := range []struct{ path, want string }{
		{"/latest/meta-data/instance-id", testInstance.ID},
		{"/latest/meta-data/placement/availability-zone", "ap-northeast-2a"},
		{"/latest/meta-data/placement/availability-zone-id", "apne2-az1"},
		{"/latest/meta-data/local-ipv4", "10.0.2.10"},
		{"/2021-03-23/meta-data/ami-id", testInstance.ImageID},
		{"/latest/meta-data/placement/", "availability-zone\navailability-zone-id\nregion"},
		{"/latest/user-data", "#!/bin/bash\necho hi\n"},
	} {
		if code, body := ask(t, srv, "GET", c.path, with); code != 200 || body != c.want {
			t.Errorf("%s: %d %q, want %q", c.path, code, body, c.want)
		}
	}
	if code, body := ask(t, srv, "GET", "/latest/meta-data/", with); code != 200 || !strings.Contains(body, "\nplacement/\n") {
		t.Errorf("meta-data/: %d %q, want a listing with placement/", code, body)
	}
	if code, body := ask(t, srv, "GET", "/latest/dynamic/instance-identity/document", with); code != 200 || !strings.Contains(body, `"instanceId": "i-0123456789abcdef0"`) {
		t.Errorf("identity document: %d %s", code, body)
	}
	for _, path := range []string{"/latest/meta-data/no-such-key", "/1.0x/meta-data/instance-id"} {
		if code, _ := ask(t, srv, "GET", path, with); code != 404 {
			t.Errorf("%s: %d, want 404", path, code)
		}
	}
	if code, _ := ask(t, srv, "GET", "/latest/meta-data/instance-id", map[string]string{tokenHeader: "forged"}); code != 401 {
		t.Errorf("a forged token: %d, want 401", code)
	}
	asked := strings.Join(imds.Asked(), "\n")
	for _, want := range []string{"GET /latest/meta-data/instance-id -> 401", "PUT /latest/api/token -> 200", "GET /latest/user-data -> 200"} {
		if !strings.Contains(asked, want) {
			t.Errorf("the log lacks %q:\n%s", want, asked)
		}
	}
}
