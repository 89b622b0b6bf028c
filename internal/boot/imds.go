package boot

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// IMDSAddress is where the instance metadata service answers.
const IMDSAddress = "169.254.169.254"

// IMDS is a fake instance metadata service of one instance that speaks
// only IMDSv2, as an instance launched with HttpTokens required sees it: a
// PUT to /latest/api/token with a TTL of 1-21600 seconds returns a token
// (refused with 403 when the request carries X-Forwarded-For), and every
// other request needs a valid token in X-aws-ec2-metadata-token (401
// without). It serves the metadata tree of the instance, its user data and
// its identity document, under latest and under each dated version, and
// keeps a log of what was asked.
type IMDS struct {
	instance Instance
	userData []byte

	mu     sync.Mutex
	tokens map[string]time.Time
	asked  []string
}

// NewIMDS serves the instance and its user data.
func NewIMDS(instance Instance, userData []byte) *IMDS {
	return &IMDS{instance: instance, userData: userData, tokens: map[string]time.Time{}}
}

// Asked lists the requests so far, each "METHOD path -> status".
func (m *IMDS) Asked() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.asked...)
}

const (
	tokenHeader    = "X-aws-ec2-metadata-token"
	tokenTTLHeader = "X-aws-ec2-metadata-token-ttl-seconds"
)

func (m *IMDS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status, body := m.answer(w, r)
	m.mu.Lock()
	m.asked = append(m.asked, fmt.Sprintf("%s %s -> %d", r.Method, r.URL.Path, status))
	m.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (m *IMDS) answer(w http.ResponseWriter, r *http.Request) (int, []byte) {
	if r.URL.Path == "/latest/api/token" {
		if r.Method != http.MethodPut {
			return http.StatusMethodNotAllowed, nil
		}
		if r.Header.Get("X-Forwarded-For") != "" {
			return http.StatusForbidden, nil
		}
		ttl, err := strconv.Atoi(r.Header.Get(tokenTTLHeader))
		if err != nil || ttl < 1 || ttl > 21600 {
			return http.StatusBadRequest, nil
		}
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		token := hex.EncodeToString(b)
		m.mu.Lock()
		m.tokens[token] = time.Now().Add(time.Duration(ttl) * time.Second)
		m.mu.Unlock()
		w.Header().Set(tokenTTLHeader, strconv.Itoa(ttl))
		return http.StatusOK, []byte(token)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return http.StatusMethodNotAllowed, nil
	}
	m.mu.Lock()
	expiry, ok := m.tokens[r.Header.Get(tokenHeader)]
	m.mu.Unlock()
	if !ok || time.Now().After(expiry) {
		return http.StatusUnauthorized, nil
	}
	if r.URL.Path == "/" {
		return http.StatusOK, []byte(strings.Join(append(append([]string(nil), imdsVersions...), "latest"), "\n"))
	}
	version, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	if version != "latest" && !slices.Contains(imdsVersions, version) {
		return http.StatusNotFound, nil
	}
	switch {
	case rest == "":
		return http.StatusOK, []byte("dynamic\nmeta-data\nuser-data")
	case rest == "user-data":
		if len(m.userData) == 0 {
			return http.StatusNotFound, nil
		}
		return http.StatusOK, m.userData
	case rest == "dynamic" || rest == "dynamic/":
		return http.StatusOK, []byte("instance-identity/")
	case strings.TrimSuffix(rest, "/") == "dynamic/instance-identity":
		return http.StatusOK, []byte("document")
	case rest == "dynamic/instance-identity/document":
		doc, _ := json.MarshalIndent(m.identity(), "", "  ")
		return http.StatusOK, doc
	case rest == "meta-data" || strings.HasPrefix(rest, "meta-data/"):
		return m.metadata(strings.TrimPrefix(strings.TrimPrefix(rest, "meta-data"), "/"))
	}
	return http.StatusNotFound, nil
}

// imdsVersions are the dated versions the metadata service answers under
// (GET / on an instance lists them); any other is a 404 there too.
var imdsVersions = []string{"1.0", "2007-01-19", "2007-03-01", "2007-08-29", "2007-10-10", "2007-12-15",
	"2008-02-01", "2008-09-01", "2009-04-04", "2011-01-01", "2011-05-01", "2012-01-12", "2014-02-25",
	"2014-11-05", "2015-10-20", "2016-04-19", "2016-06-30", "2016-09-02", "2018-03-28", "2018-08-17",
	"2018-09-24", "2019-10-01", "2020-10-27", "2021-01-03", "2021-03-23", "2021-07-15", "2022-09-24", "2024-04-11"}

// tree is the instance's meta-data: a key's value, or a folder's keys.
func (m *IMDS) tree() map[string]string {
	i := m.instance
	ip := i.Address.Addr().String()
	host := fmt.Sprintf("ip-%s.%s.compute.internal", strings.ReplaceAll(ip, ".", "-"), i.Region)
	return map[string]string{
		"ami-id":                         i.ImageID,
		"ami-launch-index":               "0",
		"hostname":                       host,
		"instance-id":                    i.ID,
		"instance-type":                  i.Type,
		"local-hostname":                 host,
		"local-ipv4":                     ip,
		"mac":                            "02:00:00:00:00:01",
		"placement/availability-zone":    i.Zone,
		"placement/availability-zone-id": zoneID(i),
		"placement/region":               i.Region,
		"services/domain":                "amazonaws.com",
		"services/partition":             partition(i.Region),
	}
}

// zoneID is a made-up zone id such as apne2-az1.
func zoneID(i Instance) string {
	letter := strings.TrimPrefix(i.Zone, i.Region)
	n := 1
	if len(letter) == 1 {
		n = int(letter[0]-'a') + 1
	}
	short := i.Region
	if parts := strings.Split(i.Region, "-"); len(parts) == 3 {
		short = parts[0] + abbreviation(parts[1]) + parts[2]
	}
	return fmt.Sprintf("%s-az%d", short, n)
}

func abbreviation(direction string) string {
	for long, short := range map[string]string{"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw", "north": "n", "south": "s", "east": "e", "west": "w", "central": "c"} {
		if direction == long {
			return short
		}
	}
	return direction
}

func (m *IMDS) metadata(key string) (int, []byte) {
	tree := m.tree()
	key = strings.TrimSuffix(key, "/")
	if v, ok := tree[key]; ok {
		return http.StatusOK, []byte(v)
	}
	// A folder: the keys under it, folders with a trailing slash.
	prefix := key + "/"
	if key == "" {
		prefix = ""
	}
	seen := map[string]bool{}
	for k := range tree {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		name, _, folder := strings.Cut(strings.TrimPrefix(k, prefix), "/")
		if folder {
			name += "/"
		}
		seen[name] = true
	}
	if len(seen) == 0 {
		return http.StatusNotFound, nil
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return http.StatusOK, []byte(strings.Join(names, "\n"))
}

func (m *IMDS) identity() map[string]any {
	i := m.instance
	return map[string]any{
		"accountId": madeUpAccount,
		// The machine's own: the boot runs on this host, whatever the
		// instance type.
		"architecture":     ec2Architecture(runtime.GOARCH),
		"availabilityZone": i.Zone,
		"imageId":          i.ImageID,
		"instanceId":       i.ID,
		"instanceType":     i.Type,
		"privateIp":        i.Address.Addr().String(),
		"region":           i.Region,
		"version":          "2017-09-30",
	}
}

// ec2Architecture is EC2's name of a Go architecture.
func ec2Architecture(goarch string) string {
	if goarch == "amd64" {
		return "x86_64"
	}
	return goarch
}
