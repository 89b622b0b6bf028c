package webtierapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"strconv"
	"strings"
)

// Read parses the app's settings from the context (cdk.json's "context" with
// JSON types, `cdk -c key=value` with strings) and reports every bad one at
// once, each naming its key, the value given and what is allowed. A plain key
// (no ':', '@' or '/') that is not a setting is an error naming the nearest
// setting, so a typo is never silently ignored.
func Read(ctx map[string]interface{}) (*Settings, error) {
	get := func(key string) interface{} { return ctx[key] }
	s := &Settings{Region: DefaultRegion, LoadBalancerName: DefaultLoadBalancerName, Nag: true}
	var errs []error
	fail := func(key string, err error) { errs = append(errs, fmt.Errorf("%s: %w", key, err)) }
	errs = append(errs, unknownKeys(ctx)...)
	for _, k := range Keys {
		raw := get(k.Name)
		if raw == nil || k.parse == nil {
			continue
		}
		if err := k.parse(raw, s); err != nil {
			fail(k.Name, err)
		}
	}
	listeners, err := readListeners(get)
	if err != nil {
		errs = append(errs, err)
	}
	s.Listeners, s.listenersFromJSON = listeners, get("listeners") != nil
	if len(s.SubnetIDs) > 0 && s.VpcID == "" && !s.UseDefaultVpc {
		fail("subnetIds", errors.New("needs vpcId or useDefaultVpc=true: the app's own VPC has no subnet ids before deploy; drop subnetIds or name the VPC"))
	}
	if s.VpcID != "" && s.UseDefaultVpc {
		fail("useDefaultVpc", fmt.Errorf("true conflicts with vpcId %q; set one of them", s.VpcID))
	}
	if s.NatGateways < 0 || s.NatGateways > 2 || s.NatGateways != math.Trunc(s.NatGateways) {
		fail("natGateways", fmt.Errorf("%v is not allowed; allowed: 0, 1 or 2 (one per Availability Zone of the app's VPC)", s.NatGateways))
	}
	if (s.NatGateways > 0 || s.InterfaceEndpoints) && (s.VpcID != "" || s.UseDefaultVpc) {
		fail("natGateways", errors.New("natGateways and interfaceEndpoints shape the app's own VPC; they cannot change a looked-up one (drop them or drop vpcId/useDefaultVpc)"))
	}
	if s.HostedZoneID != "" && s.DomainName == "" {
		fail("hostedZoneId", fmt.Errorf("%q is set without domainName; set domainName to the zone's name", s.HostedZoneID))
	}
	if s.RecordName != "" && s.DomainName == "" {
		fail("recordName", fmt.Errorf("%q is set without domainName; set domainName to the hosted zone's name", s.RecordName))
	}
	if len(errs) > 0 {
		return nil, &SettingsError{Errs: errs}
	}
	return s, nil
}

// SettingsError lists every bad setting.
type SettingsError struct{ Errs []error }

func (e *SettingsError) Error() string {
	lines := make([]string, len(e.Errs))
	for i, err := range e.Errs {
		lines[i] = "  - " + err.Error()
	}
	noun := "settings"
	if len(e.Errs) == 1 {
		noun = "setting"
	}
	return fmt.Sprintf("%d invalid %s (cdk.json context or -c key=value):\n%s", len(e.Errs), noun, strings.Join(lines, "\n"))
}

// Unwrap returns each problem.
func (e *SettingsError) Unwrap() []error { return e.Errs }

// firstRowKeys are the console's first listener row.
var firstRowKeys = []string{"listenerProtocol", "listenerPort", "instanceProtocol", "instancePort", "certificateArn"}

// readListeners reads `listeners`, or the first-row keys, not both.
func readListeners(get func(string) interface{}) ([]ListenerSetting, error) {
	var rowKeys []string
	for _, k := range firstRowKeys {
		if get(k) != nil {
			rowKeys = append(rowKeys, k)
		}
	}
	if raw := get("listeners"); raw != nil {
		if len(rowKeys) > 0 {
			return nil, fmt.Errorf("listeners: cannot be combined with %s; put every listener in the listeners list", strings.Join(rowKeys, ", "))
		}
		ls, err := ParseListeners(raw)
		if err != nil {
			return nil, fmt.Errorf("listeners: %w", err)
		}
		return ls, nil
	}
	if len(rowKeys) == 0 {
		return nil, nil
	}
	var l ListenerSetting
	var errs []error
	set := func(key string, f func(interface{}) error) {
		if raw := get(key); raw != nil {
			if err := f(raw); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", key, err))
			}
		}
	}
	set("listenerProtocol", func(v interface{}) (err error) { l.Protocol, err = asProtocol(v); return })
	set("listenerPort", func(v interface{}) error { return setNumber(&l.Port, v) })
	set("instanceProtocol", func(v interface{}) (err error) { l.InstanceProtocol, err = asProtocol(v); return })
	set("instancePort", func(v interface{}) error { return setNumber(&l.InstancePort, v) })
	set("certificateArn", func(v interface{}) (err error) { l.CertificateArn, err = asCertificate(v); return })
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return []ListenerSetting{l.withDefaults()}, nil
}

// withDefaults fills the console's port for the protocol: 443 for HTTPS and
// SSL, 80 otherwise. Instance side defaults are the construct's.
func (l ListenerSetting) withDefaults() ListenerSetting {
	if l.Protocol == "" {
		l.Protocol = "HTTP"
	}
	if l.Port == 0 {
		l.Port = 80
		if l.Protocol == "HTTPS" || l.Protocol == "SSL" {
			l.Port = 443
		}
	}
	return l
}

// ParseListeners reads the `listeners` setting: a JSON list of listener
// objects, as a string (from -c) or already decoded (from cdk.json). Unknown
// fields are errors, so a typo is not silently ignored.
func ParseListeners(raw interface{}) ([]ListenerSetting, error) {
	var data []byte
	switch v := raw.(type) {
	case string:
		data = []byte(v)
	default:
		var err error
		if data, err = json.Marshal(v); err != nil {
			return nil, fmt.Errorf("%v is not a JSON list of listeners", raw)
		}
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var ls []ListenerSetting
	if err := dec.Decode(&ls); err != nil {
		return nil, fmt.Errorf("%s is not a JSON list of listeners (%v); allowed: [{\"protocol\":\"HTTP\",\"port\":80,\"instanceProtocol\":\"HTTP\",\"instancePort\":80}, ...]", clip(string(data)), err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return nil, fmt.Errorf("%s has text after the JSON list", clip(string(data)))
	}
	if len(ls) == 0 {
		return nil, errors.New("[] has no listener; give at least one, or drop the key for HTTP 80 -> HTTP 80")
	}
	for i := range ls {
		for _, p := range []*string{&ls[i].Protocol, &ls[i].InstanceProtocol} {
			if *p == "" {
				continue
			}
			norm, err := asProtocol(*p)
			if err != nil {
				return nil, fmt.Errorf("listener %d: %w", i, err)
			}
			*p = norm
		}
		if ls[i].CertificateArn != "" {
			if _, err := asCertificate(ls[i].CertificateArn); err != nil {
				return nil, fmt.Errorf("listener %d: certificateArn: %w", i, err)
			}
		}
		ls[i] = ls[i].withDefaults()
	}
	return ls, nil
}

func asString(v interface{}) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%v is a %T; allowed: a string", v, v)
	}
	return s, nil
}

func asBool(v interface{}) (bool, error) {
	switch b := v.(type) {
	case bool:
		return b, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(b)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, fmt.Errorf("%q is not a boolean; allowed: true or false", fmt.Sprint(v))
}

func asNumber(v interface{}) (*float64, error) {
	var f float64
	err := setNumber(&f, v)
	return &f, err
}

func setNumber(dst *float64, v interface{}) error {
	switch n := v.(type) {
	case float64:
		*dst = n
		return nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		if err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			*dst = f
			return nil
		}
	}
	return fmt.Errorf("%q is not a number", fmt.Sprint(v))
}

func asProtocol(v interface{}) (string, error) {
	s, err := asString(v)
	if err != nil {
		return "", err
	}
	p := strings.ToUpper(strings.TrimSpace(s))
	switch p {
	case "HTTP", "HTTPS", "TCP", "SSL":
		return p, nil
	}
	return "", fmt.Errorf("%q is not a protocol; allowed: HTTP, HTTPS, TCP, SSL", s)
}

// asStrings reads a JSON list of strings or a comma-separated string.
func asStrings(v interface{}) ([]string, error) {
	switch l := v.(type) {
	case string:
		var out []string
		for _, part := range strings.Split(l, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
		return out, nil
	case []interface{}:
		out := make([]string, 0, len(l))
		for _, item := range l {
			s, ok := item.(string)
			if !ok {
				return nil, fmt.Errorf("%v holds %v, which is not a string; allowed: a list of strings", v, item)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%v is a %T; allowed: a comma-separated string or a list of strings", v, v)
}

// asCIDRs reads CIDR blocks (IPv4 or IPv6), each in canonical form.
func asCIDRs(v interface{}) ([]string, error) {
	list, err := asStrings(v)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(list))
	for i, c := range list {
		p, err := ParseCIDR(c)
		if err != nil {
			return nil, err
		}
		out[i] = p.String()
	}
	return out, nil
}

// ParseCIDR reads one CIDR block whose address has no bits outside the prefix
// (AWS rejects 10.0.0.1/8).
func ParseCIDR(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not a CIDR block; allowed: an address and prefix length such as 203.0.113.0/24 or 2001:db8::/32", s)
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("%q has host bits set; did you mean %s?", s, p.Masked())
	}
	return p, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return strconv.Quote(s[:77] + "...")
	}
	return strconv.Quote(s)
}
