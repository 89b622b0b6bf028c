package webtierapp

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"
)

// FuzzParseListeners: no input panics, and whatever parses re-renders (as
// JSON) to a value that parses to the same listeners.
func FuzzParseListeners(f *testing.F) {
	for _, seed := range []string{
		`[{"protocol":"HTTP","port":80}]`,
		`[{"protocol":"https","port":443,"instancePort":80,"certificateArn":"arn:aws:acm:ap-northeast-2:123456789012:certificate/abc"},{"protocol":"TCP","port":8443}]`,
		`[{"protocol":"SSL","port":465,"instanceProtocol":"tcp","instancePort":25,"certificateArn":"arn:aws:iam::123456789012:server-certificate/x"}]`, `[{"port":80,"policyNames":["p"]}]`,
		`[]`, `{}`, `[{"port":1e400}]`, `[{"port":-0}]`, `null`, `[null]`, `[{"prot":80}]`, `[{"port":80}] trailing`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		ls, err := ParseListeners(data)
		if err != nil {
			return
		}
		rendered, err := json.Marshal(ls)
		if err != nil {
			t.Fatalf("marshal %v: %v", ls, err)
		}
		again, err := ParseListeners(string(rendered))
		if err != nil {
			t.Fatalf("%s parsed, its rendering %s does not: %v", data, rendered, err)
		}
		if !reflect.DeepEqual(ls, again) {
			t.Fatalf("%s: %v, re-rendered %v", data, ls, again)
		}
	})
}

// FuzzParseCIDR: no input panics, and a parsed block re-renders to itself.
func FuzzParseCIDR(f *testing.F) {
	for _, seed := range []string{"203.0.113.0/24", "0.0.0.0/0", "10.0.0.1/8", "2001:db8::/32", "::/0", "1.2.3.4", "/", "300.1.1.1/8", " 10.0.0.0/8 ", "::ffff:1.2.3.0/120"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseCIDR(s)
		if err != nil {
			return
		}
		again, err := ParseCIDR(p.String())
		if err != nil || again != p {
			t.Fatalf("%q parsed to %s, which re-parses to %v, %v", s, p, again, err)
		}
	})
}

// FuzzHealthCheckSettings: no combination of health check strings panics, and
// parsed settings rendered back to strings parse to the same settings.
func FuzzHealthCheckSettings(f *testing.F) {
	f.Add("HTTP", "80", "/index.html", "5", "30", "2", "10")
	f.Add("tcp", "8080", "", "2", "5", "10", "2")
	f.Add("SSL", "0x1bb", "/", "1e1", "3e2", "2.0", "+10")
	f.Add("ICMP", "-1", "x", "NaN", "Inf", "", " ")
	f.Fuzz(func(t *testing.T, protocol, port, path, timeout, interval, unhealthy, healthy string) {
		ctx := map[string]interface{}{
			"healthCheckProtocol": protocol, "healthCheckPort": port, "healthCheckPath": path,
			"healthCheckTimeout": timeout, "healthCheckInterval": interval,
			"unhealthyThreshold": unhealthy, "healthyThreshold": healthy,
		}
		s, err := Read(ctx, Environment{})
		if err != nil {
			return
		}
		num := func(v *float64) string { return strconv.FormatFloat(*v, 'g', -1, 64) }
		again, err := Read(map[string]interface{}{
			"healthCheckProtocol": s.HealthCheckProtocol, "healthCheckPort": num(s.HealthCheckPort), "healthCheckPath": *s.HealthCheckPath,
			"healthCheckTimeout": num(s.HealthCheckTimeout), "healthCheckInterval": num(s.HealthCheckInterval),
			"unhealthyThreshold": num(s.UnhealthyThreshold), "healthyThreshold": num(s.HealthyThreshold),
		}, Environment{})
		if err != nil {
			t.Fatalf("%v parsed, its rendering does not: %v", ctx, err)
		}
		if !reflect.DeepEqual(s, again) {
			t.Fatalf("%v: %+v, re-rendered %+v", ctx, s, again)
		}
	})
}
