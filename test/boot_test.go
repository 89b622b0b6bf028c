//go:build boot

package test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/classic-webtier/cdk-classic-webtier/internal/boot"
)

// The boot test (`make boot`, part of `make test`): every golden scenario
// and every listener shape of the cdk-nag matrix, booted for real with
// the user data of its template (see package internal/boot), asked what
// the load balancer asks, rebooted and asked again.

// bootSite is the name the probes ask for.
const bootSite = "www.example.com"

// bootCase is one machine to boot: a distinct user data, and what each
// load balancer that sends it traffic asks of it.
type bootCase struct {
	machine boot.Machine
	asks    []*bootAsk
}

// bootAsk is one health check and set of listeners, and the scenarios
// (with the resources that carry the user data) that ask it.
type bootAsk struct {
	key       string
	tier      *boot.Tier
	scenarios []string
}

// goldenRegion is the region a golden template's scenario deploys to: its
// file name's last part for a region's stack, else Seoul.
var goldenRegion = regexp.MustCompile(`-([a-z]{2}(-gov)?-[a-z]+-\d)$`)

// bootCases reads the golden templates and synthesizes the listener shapes
// (in this process, with cdk-nag off: TestEveryListenerShapePassesCdkNag
// runs them through it), then groups their machines by what a boot would
// show: the same user data asked the same things boots once.
func bootCases(t *testing.T) (cases []*bootCase, goldens int) {
	t.Helper()
	byUserData := map[string]*bootCase{}
	add := func(scenario string, template []byte, region string) {
		tier, err := boot.ReadTier(template, region)
		if err != nil {
			t.Fatalf("%s: %v", scenario, err)
		}
		asked, _ := json.Marshal(struct {
			H boot.HealthCheck
			L []boot.Listener
		}{tier.HealthCheck, tier.Listeners})
		for _, m := range tier.Machines {
			c, ok := byUserData[string(m.UserData)]
			if !ok {
				c = &bootCase{machine: m}
				byUserData[string(m.UserData)] = c
				cases = append(cases, c)
			}
			i := slices.IndexFunc(c.asks, func(a *bootAsk) bool { return a.key == string(asked) })
			if i < 0 {
				c.asks = append(c.asks, &bootAsk{key: string(asked), tier: tier})
				i = len(c.asks) - 1
			}
			c.asks[i].scenarios = append(c.asks[i].scenarios, fmt.Sprintf("%s (%s)", scenario, strings.Join(m.Resources, ", ")))
		}
	}
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	sort.Strings(paths)
	for _, path := range paths {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		region := "ap-northeast-2"
		if m := goldenRegion.FindStringSubmatch(name); m != nil {
			region = m[1]
		}
		add("golden "+name, raw, region)
	}
	for _, sh := range listenerShapes {
		settings := map[string]interface{}{"nag": "false"}
		for k, v := range sh.settings {
			settings[k] = v
		}
		s := synth(t, settings, "")
		add("shape "+sh.name, templateJSON(t, s.template), "ap-northeast-2")
	}
	return cases, len(paths)
}

// TestBoot boots each distinct machine of the scenarios and shapes and
// fails with what the load balancer would have found wrong.
func TestBoot(t *testing.T) {
	cfg := bootConfig(t)
	start := time.Now()
	cases, goldens := bootCases(t)
	read := time.Since(start)
	asks := 0
	for _, c := range cases {
		asks += len(c.asks)
	}
	t.Logf("%d machines (distinct user data) to boot, asked %d sets of health check and listeners, for %d golden scenarios and %d listener shapes (read and synthesized in %.1f s)", len(cases), asks, goldens, len(listenerShapes), read.Seconds())
	var mu sync.Mutex
	var cpu time.Duration
	start = time.Now()
	defer func() {
		t.Logf("%d machines booted twice in %.1f s, %.1f s of the containers' CPU", len(cases), time.Since(start).Seconds(), cpu.Seconds())
	}()
	t.Run("machines", func(t *testing.T) {
		for i, c := range cases {
			var asks []boot.Ask
			var names []string
			for _, a := range c.asks {
				asks = append(asks, boot.Ask{Tier: a.tier, Label: askLabel(a.tier)})
				names = append(names, fmt.Sprintf("%s: %s", askLabel(a.tier), strings.Join(a.scenarios, "; ")))
			}
			t.Run(fmt.Sprintf("%02d", i+1), func(t *testing.T) {
				t.Parallel()
				res, err := boot.Boot(context.Background(), cfg, fmt.Sprintf("m%02d", i+1), c.machine, asks)
				if err != nil {
					t.Fatalf("cannot boot: %v", err)
				}
				mu.Lock()
				cpu += res.CPU
				mu.Unlock()
				for _, f := range res.Failures {
					t.Errorf("%s\n  asked by: %s", f, strings.Join(names, "\n    "))
				}
				if len(res.Failures) == 0 {
					t.Logf("healthy %.1f s after start, %.1f s after a reboot, %.1f s of CPU (%s); asked:\n  %s", res.Boot.Seconds(), res.Reboot.Seconds(), res.CPU.Seconds(), strings.Join(res.Steps, ", "), strings.Join(names, "\n  "))
				}
			})
		}
	})
}

// askLabel names a load balancer's questions: its health check target
// and listeners.
func askLabel(tier *boot.Tier) string {
	var ls []string
	for _, l := range tier.Listeners {
		ls = append(ls, l.String())
	}
	return fmt.Sprintf("health check %s, listeners %s", tier.HealthCheck.Target, strings.Join(ls, ", "))
}

// TestBootCatchesABrokenSite: the boot test fails, naming the unit and its
// journal, for the tutorial's user data asked for a path it does not
// serve (what every instance of `healthCheckPath=/healthz` got before the
// page server answered the health check path).
func TestBootCatchesABrokenSite(t *testing.T) {
	t.Parallel()
	cfg := bootConfig(t)
	// No need to wait for a health check that cannot pass.
	cfg.Settle = 2 * time.Second
	got := bootTheDefault(t, cfg, "broken", func(tier *boot.Tier, _ *boot.Machine) {
		tier.HealthCheck.Path = "/healthz"
		tier.HealthCheck.Target = "HTTP:80/healthz"
	})
	for _, want := range []string{"health check HTTP:80/healthz", "404", "OutOfService", "port 80 is served by webtier-http@80.service", "last journal lines of webtier-http@80.service", `"GET /healthz HTTP/1.1" 404`} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q:\n%s", want, got)
		}
	}
}

// TestBootCatchesACrashingServer: a server that keeps dying and coming
// back (Restart=always) answers the back-to-back checks, but the boot test
// fails it for its restarts.
func TestBootCatchesACrashingServer(t *testing.T) {
	t.Parallel()
	cfg := bootConfig(t)
	cfg.Settle = 2 * time.Second
	got := bootTheDefault(t, cfg, "flaky", func(_ *boot.Tier, m *boot.Machine) {
		m.UserData = []byte(`#!/bin/bash
set -euo pipefail
install -d /var/www
echo "<p>` + m.Instance.ID + ` ` + m.Instance.Zone + `</p>" > /var/www/index.html
cat > /etc/systemd/system/flaky.service <<'UNIT'
[Service]
ExecStart=/usr/bin/python3 -m http.server 80 --directory /var/www
RuntimeMaxSec=1
Restart=always
RestartSec=100ms

[Install]
WantedBy=multi-user.target
UNIT
systemctl enable --now flaky.service
sleep 3
`)
	})
	if !regexp.MustCompile(`first boot: flaky\.service restarted \d+ times`).MatchString(got) || !strings.Contains(got, "last journal lines of flaky.service") {
		t.Errorf("the report lacks flaky.service's restarts:\n%s", got)
	}
}

// TestBootReportsUserDataThatNeverEnds: a boot that never finishes (cloud-
// init waits for the user data without a time limit) is reported when the
// boot's time is up, with cloud-final's journal and what the user data
// asked the metadata service, instead of holding up the run.
func TestBootReportsUserDataThatNeverEnds(t *testing.T) {
	t.Parallel()
	cfg := bootConfig(t)
	cfg.BootTimeout = 15 * time.Second
	start := time.Now()
	got := bootTheDefault(t, cfg, "stuck", func(_ *boot.Tier, m *boot.Machine) {
		m.UserData = []byte("#!/bin/bash\ncurl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' >/dev/null\necho waiting for ever\nsleep infinity\n")
	})
	for _, want := range []string{"first boot: the container did not finish booting", "last journal lines of cloud-final.service", "waiting for ever", "PUT /latest/api/token -> 200"} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if took := time.Since(start); took > 2*time.Minute {
		t.Errorf("the report took %s", took)
	}
}

// bootTheDefault boots the default template's machine, its tier and user
// data first changed by change, and returns what the boot test reports.
func bootTheDefault(t *testing.T, cfg boot.Config, name string, change func(*boot.Tier, *boot.Machine)) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "default.json"))
	if err != nil {
		t.Fatal(err)
	}
	tier, err := boot.ReadTier(raw, "ap-northeast-2")
	if err != nil {
		t.Fatal(err)
	}
	m := tier.Machines[0]
	change(tier, &m)
	start := time.Now()
	res, err := boot.Boot(context.Background(), cfg, name, m, []boot.Ask{{Tier: tier}})
	if err != nil {
		t.Fatalf("cannot boot: %v", err)
	}
	got := strings.Join(res.Failures, "\n")
	t.Logf("what the boot test reported after %.0f s:\n%s", time.Since(start).Seconds(), got)
	return got
}

// bootRootfs is the root file system, made or found by the first test
// (bootMu: tests that run in parallel ask together).
var (
	bootMu     sync.Mutex
	bootRootfs string
)

// bootConfig is what the boots of a test share: the cached root file
// system (made on first use), a work folder of the test's, the site's
// name. A machine that cannot boot containers fails here, with the reason.
func bootConfig(t *testing.T) boot.Config {
	t.Helper()
	bootMu.Lock()
	defer bootMu.Unlock()
	if bootRootfs == "" {
		if err := boot.Preflight(); err != nil {
			t.Fatal(err)
		}
		boot.RemoveStale()
		if err := boot.StartWatchdog(); err != nil {
			t.Fatalf("watchdog: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		root, err := boot.EnsureRootfs(ctx, boot.DefaultCacheDir(), t.Logf)
		if err != nil {
			t.Fatalf("root file system: %v", err)
		}
		how := "cached"
		if root.Built {
			how = fmt.Sprintf("made in %.0f s", root.Duration.Seconds())
		}
		t.Logf("root file system %s, %s: %s", root.Dir, how, strings.Join(root.Versions, "; "))
		bootRootfs = root.Dir
	}
	work, err := boot.NewWorkDir()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(work) })
	return boot.Config{Rootfs: bootRootfs, WorkDir: work, Site: bootSite}
}
