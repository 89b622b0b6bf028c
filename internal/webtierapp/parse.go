package webtierapp

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/constructs/classicelb"
	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
	"github.com/classic-webtier/cdk-classic-webtier/internal/dnsname"
)

// Read parses the app's settings from the context (cdk.json's "context" with
// JSON types, `cdk -c key=value` with strings) and reports every bad one at
// once, each naming its key, the value given and what is allowed. A plain key
// (no ':', '@' or '/') that is not a setting is an error naming the nearest
// setting, so a typo is never silently ignored.
//
// The region is the region key, else env's AWS_REGION or AWS_DEFAULT_REGION,
// else Seoul, so that the stack deploys where the AWS tools point.
func Read(ctx map[string]interface{}, env Environment) (*Settings, error) {
	get := func(key string) interface{} { return ctx[key] }
	s := &Settings{Account: env.Account, Region: DefaultRegion, regionFrom: "region", StackName: DefaultStackName, LoadBalancerName: DefaultLoadBalancerName, Nag: true}
	var errs []error
	fail := func(key string, err error) { errs = append(errs, fmt.Errorf("%s: %w", key, err)) }
	if env.Region != "" && get("regions") == nil {
		s.Region, s.regionFrom = env.Region, env.RegionVar
		if _, err := asRegion(env.Region); err != nil && get("region") == nil {
			fail(env.RegionVar, fmt.Errorf("%w (or pass -c region=...)", err))
		}
	}
	errs = append(errs, unknownKeys(ctx)...)
	for _, k := range Keys {
		raw := get(k.Name)
		if raw == nil || k.parse == nil || get("regions") != nil && isRegionalKey(k.Name) {
			continue
		}
		if err := k.parse(raw, s); err != nil {
			fail(k.Name, err)
		}
	}
	listeners, err := readListeners(get, s.HTTPS)
	if err != nil {
		errs = append(errs, err)
	}
	s.Listeners, s.listenersFromJSON = listeners, get("listeners") != nil
	s.readRegions(get, fail)
	if s.HTTPS && get("certificateArn") == nil {
		if get("domainName") == nil {
			fail("https", errors.New("true needs domainName (the certificate is requested for the record's name, recordName in domainName, and validated by DNS in that hosted zone), or certificateArn for a certificate made elsewhere"))
		} else if err := acmName(s.DomainName, s.RecordName); err != nil {
			fail("recordName", err)
		}
	}
	if s.HTTPS && len(s.Listeners) > 0 && clb.Protocol(s.Listeners[0].InstanceProtocol).IsTLS() && s.Listeners[0].InstancePort != nil && *s.Listeners[0].InstancePort == 80 {
		fail("instancePort", errors.New("80 with instanceProtocol=HTTPS leaves no plain port for HTTP 80, which https keeps to send browsers to HTTPS; use another port, such as 443"))
	}
	// A second copy of the stack must not take the first one's load
	// balancer name: without a name of its own, CloudFormation makes one.
	// Nor may a region's stack take the name from a one-region stack
	// still running there (the move to several regions).
	if get("loadBalancerName") == nil && (get("stackName") != nil && s.StackName != DefaultStackName || get("regions") != nil) {
		s.LoadBalancerName = ""
	}
	if len(s.SubnetIDs) > 0 && !s.looksUpVpc() && len(s.Regions) == 0 {
		fail("subnetIds", errors.New("needs vpcId or useDefaultVpc=true: the app's own VPC has no subnet ids before deploy; drop subnetIds or name the VPC"))
	}
	if s.UseDefaultVpc && (s.VpcID != "" || s.regional["vpcId"] != nil) {
		given := fmt.Sprintf("%q", s.VpcID)
		if s.VpcID == "" {
			given = "(its region=value pairs)"
		}
		fail("useDefaultVpc", fmt.Errorf("true conflicts with vpcId %s; set one of them", given))
	}
	if s.NatGateways < 0 || s.NatGateways > 2 || s.NatGateways != math.Trunc(s.NatGateways) {
		fail("natGateways", fmt.Errorf("%v is not allowed; allowed: 0, 1 or 2 (one per Availability Zone of the app's VPC)", s.NatGateways))
	}
	if (s.NatGateways > 0 || s.InterfaceEndpoints) && s.looksUpVpc() {
		fail("natGateways", errors.New("natGateways and interfaceEndpoints shape the app's own VPC; they cannot change a looked-up one (drop them or drop vpcId/useDefaultVpc)"))
	}
	switch {
	case (s.S3PrefixListID != "" || s.regional["s3PrefixListId"] != nil) && s.looksUpVpc():
		fail("s3PrefixListId", errors.New("narrows the instances' egress in the app's own VPC; a looked-up VPC's routes are not known, so its instances keep HTTPS to any address (drop s3PrefixListId, or vpcId/useDefaultVpc)"))
	case (s.S3PrefixListID != "" || s.regional["s3PrefixListId"] != nil) && s.NatGateways > 0:
		fail("s3PrefixListId", errors.New("narrows the egress to S3, but with natGateways the instances may reach the internet over HTTPS anyway; drop one of them"))
	}
	if s.AlarmEmail != "" && s.Alarms != nil && !*s.Alarms {
		fail("alarmEmail", errors.New("is set, but alarms=false leaves nothing to tell it; drop one of them"))
	}
	if s.AutoScaling && get("instanceCount") != nil {
		fail("instanceCount", errors.New("is for fixed instances; with autoScaling=true the group's size is minCapacity to maxCapacity, so drop instanceCount"))
	}
	if !s.AutoScaling {
		for _, key := range fleetKeys {
			if get(key) != nil {
				fail(key, errors.New("sizes the Auto Scaling group, which only autoScaling=true makes; add -c autoScaling=true or drop it"))
			}
		}
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

// fleetKeys shape the Auto Scaling group of autoScaling.
var fleetKeys = []string{"minCapacity", "maxCapacity", "desiredCapacity", "targetCpuUtilization"}

// firstRowKeys are the console's first listener row.
var firstRowKeys = []string{"listenerProtocol", "listenerPort", "instanceProtocol", "instancePort", "certificateArn"}

// readListeners reads `listeners`, or the first-row keys, not both; with
// https, the HTTPS and HTTP pair.
func readListeners(get func(string) interface{}, https bool) ([]ListenerSetting, error) {
	var rowKeys []string
	for _, k := range firstRowKeys {
		if get(k) != nil {
			rowKeys = append(rowKeys, k)
		}
	}
	if https {
		var conflicts []string
		for _, k := range []string{"listeners", "listenerProtocol", "listenerPort"} {
			if get(k) != nil {
				conflicts = append(conflicts, k)
			}
		}
		if len(conflicts) > 0 {
			return nil, fmt.Errorf("https: builds the listeners (HTTPS 443 and HTTP 80), so it cannot be combined with %s; drop them, or drop https", strings.Join(conflicts, ", "))
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
		if https {
			return httpsPair(ListenerSetting{}), nil
		}
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
	set("listenerPort", func(v interface{}) (err error) { l.Port, err = asNumber(v); return })
	set("instanceProtocol", func(v interface{}) (err error) { l.InstanceProtocol, err = asProtocol(v); return })
	set("instancePort", func(v interface{}) (err error) { l.InstancePort, err = asNumber(v); return })
	set("certificateArn", func(v interface{}) (err error) {
		l.CertificateArn, err = asNonEmpty(v, "an ACM or IAM server certificate ARN")
		return
	})
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if https {
		return httpsPair(l), nil
	}
	return []ListenerSetting{l.withDefaults()}, nil
}

// acmName checks the name https requests a certificate for against ACM's
// rules, which are narrower than DNS's: at most 64 characters, and no
// underscore. A name outside the zone is the construct's to report.
func acmName(domain, record string) error {
	name, ok := dnsname.Full(domain, record)
	switch {
	case !ok:
		return nil
	case utf8.RuneCountInString(name) > maxACMName:
		return fmt.Errorf("makes the certificate's name %s, %d characters long; ACM takes at most %d: use a shorter recordName, or certificateArn for a certificate made elsewhere", name, utf8.RuneCountInString(name), maxACMName)
	case strings.Contains(name, "_"):
		return fmt.Errorf("makes the certificate's name %s, with an underscore, which ACM does not take: use a name without one, or certificateArn", name)
	}
	return nil
}

// maxACMName is the longest domain name of an ACM certificate.
const maxACMName = 64

// httpsPair is what https builds from the first-row keys that remain
// (instanceProtocol, instancePort, certificateArn): HTTPS 443 first, so that
// the health check and the outputs follow it, then HTTP 80 for the
// redirect. Where TLS ends at the load balancer, both reach the same plain
// instance port; with TLS to the instances, HTTP 80 reaches plain port 80.
func httpsPair(l ListenerSetting) []ListenerSetting {
	secure := ListenerSetting{Protocol: string(clb.HTTPS), Port: jsii.Number(443), InstanceProtocol: l.InstanceProtocol, InstancePort: l.InstancePort,
		CertificateArn: l.CertificateArn, autoCertificate: l.CertificateArn == ""}
	plain := ListenerSetting{Protocol: string(clb.HTTP), Port: jsii.Number(80), InstanceProtocol: string(clb.HTTP), InstancePort: jsii.Number(80)}
	if !clb.Protocol(l.InstanceProtocol).IsTLS() && l.InstancePort != nil {
		plain.InstancePort = l.InstancePort
	}
	return []ListenerSetting{secure, plain}
}

// withDefaults fills the console's port for the protocol: 443 for HTTPS and
// SSL, 80 otherwise. Instance side defaults are the construct's.
func (l ListenerSetting) withDefaults() ListenerSetting {
	if l.Protocol == "" {
		l.Protocol = string(clb.HTTP)
	}
	if l.Port == nil {
		port := 80.0
		if clb.Protocol(l.Protocol).IsTLS() {
			port = 443
		}
		l.Port = &port
	}
	return l
}

// ParseListeners reads the `listeners` setting: a JSON list of listener
// objects, as a string (from -c) or already decoded (from cdk.json). Unknown
// and duplicate member names are errors, so a typo is not silently ignored
// and one of two values does not silently win.
func ParseListeners(raw interface{}) ([]ListenerSetting, error) {
	var data []byte
	switch v := raw.(type) {
	case string:
		data = []byte(v)
	default:
		var err error
		if data, err = jsonv2.Marshal(v); err != nil {
			return nil, fmt.Errorf("%s is not a JSON list of listeners", kindOf(raw))
		}
	}
	var ls []ListenerSetting
	if err := jsonv2.Unmarshal(data, &ls, jsonv2.RejectUnknownMembers(true)); err != nil {
		var sem *jsonv2.SemanticError
		if errors.As(err, &sem) && errors.Is(sem.Err, jsonv2.ErrUnknownName) && sem.JSONPointer.LastToken() == "policyNames" {
			// A member of the construct's listeners that the app cannot
			// use: it defines no policy for a listener to name.
			return nil, fmt.Errorf("%s has \"policyNames\", but the app defines no policy (stickiness or TLS negotiation) for a listener to name; drop it: HTTPS and SSL listeners get the TLS policy %s by themselves (construct users define policies in WebTierProps)", jsonPlace(sem.JSONPointer.Parent()), classicelb.DefaultSslPolicy)
		}
		return nil, fmt.Errorf("%s is not a JSON list of listeners (%s); allowed: [{\"protocol\":\"HTTP\",\"port\":80,\"instanceProtocol\":\"HTTP\",\"instancePort\":80}, ...] with the members protocol, port, instanceProtocol, instancePort, certificateArn", clip(string(data)), jsonProblem(err, data))
	}
	if ls == nil {
		return nil, fmt.Errorf("%s is not a JSON list of listeners", clip(string(data)))
	}
	if len(ls) == 0 {
		return nil, errors.New("[] has no listener; give at least one, or drop the key for HTTP 80 -> HTTP 80")
	}
	// The construct checks the values, and its problems name these
	// listeners (listeners[i].protocol ...).
	if err := blankMembers(data); err != nil {
		return nil, err
	}
	for i := range ls {
		ls[i].Protocol = string(clb.Normalize(ls[i].Protocol))
		ls[i].InstanceProtocol = string(clb.Normalize(ls[i].InstanceProtocol))
		ls[i] = ls[i].withDefaults()
	}
	return ls, nil
}

// blankMembers reports a text member given empty: a member left out takes
// the default, but one given as "" is a mistake the construct would take
// for unset.
func blankMembers(data []byte) error {
	var raw []map[string]interface{}
	if err := jsonv2.Unmarshal(data, &raw); err != nil {
		return nil // ParseListeners has read it already
	}
	for i, l := range raw {
		for _, member := range []string{"protocol", "instanceProtocol", "certificateArn"} {
			if s, ok := l[member].(string); ok && strings.TrimSpace(s) == "" {
				return fmt.Errorf("listener %d's %q is empty; give a value, or leave the member out", i, member)
			}
		}
	}
	return nil
}

// jsonProblem says what is wrong with listener JSON in the listener's terms,
// without Go's type names.
func jsonProblem(err error, data []byte) string {
	var syn *jsontext.SyntacticError
	var sem *jsonv2.SemanticError
	// at is the position in characters (not bytes) of a syntax error.
	at := func() int {
		off := int(min(max(syn.ByteOffset, 0), int64(len(data))))
		return utf8.RuneCount(data[:off]) + 1
	}
	switch {
	case errors.As(err, &syn) && errors.Is(syn.Err, jsontext.ErrDuplicateName):
		return fmt.Sprintf("%s has %q twice", jsonPlace(syn.JSONPointer.Parent()), syn.JSONPointer.LastToken())
	case errors.As(err, &syn) && strings.Contains(syn.Err.Error(), "after top-level value"):
		return fmt.Sprintf("text after the list, at character %d", at())
	case errors.As(err, &syn):
		return fmt.Sprintf("%s, at character %d", syn.Err, at())
	case errors.As(err, &sem) && errors.Is(sem.Err, jsonv2.ErrUnknownName):
		return fmt.Sprintf("%s has the unknown member %q", jsonPlace(sem.JSONPointer.Parent()), sem.JSONPointer.LastToken())
	case errors.As(err, &sem):
		return fmt.Sprintf("%s must be %s", jsonPlace(sem.JSONPointer), jsonExpected(sem.JSONPointer))
	}
	return err.Error()
}

// jsonPlace names a place in the listener list: "listener 0", or listener
// 0's "port".
func jsonPlace(p jsontext.Pointer) string {
	var tokens []string
	for tok := range p.Tokens() {
		tokens = append(tokens, tok)
	}
	switch len(tokens) {
	case 0:
		return "the value"
	case 1:
		return "listener " + tokens[0]
	default:
		return fmt.Sprintf("listener %s's %q", tokens[0], strings.Join(tokens[1:], "/"))
	}
}

// jsonExpected is what belongs at a place of the listener list.
func jsonExpected(p jsontext.Pointer) string {
	var tokens []string
	for tok := range p.Tokens() {
		tokens = append(tokens, tok)
	}
	switch {
	case len(tokens) == 0:
		return "a list of listener objects"
	case len(tokens) == 1:
		return "an object"
	case len(tokens) == 2 && (tokens[1] == "port" || tokens[1] == "instancePort"):
		return "a number, " + clb.Port.String()
	default:
		return "a string"
	}
}

// kindOf names a context value's JSON kind, for messages.
func kindOf(v interface{}) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("%v (a boolean)", x)
	case float64:
		return fmt.Sprintf("%s (a number)", numText(x))
	case string:
		return strconv.Quote(x)
	case []interface{}:
		return "a list"
	case map[string]interface{}:
		return "an object"
	}
	return "a value of unknown kind"
}

func asString(v interface{}) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s is not allowed; allowed: a string", kindOf(v))
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

// asSeconds reads a duration in seconds. A negative one is refused here, in
// the construct's words: aws-cdk-lib's Duration cannot hold it, so it
// would never reach the construct's range check.
func asSeconds(v interface{}, r clb.Range) (*float64, error) {
	n, err := asNumber(v)
	if err == nil && *n < 0 {
		err = fmt.Errorf("%s %s is out of range; allowed %s", numText(*n), r.Unit, r)
	}
	return n, err
}

// decimal is a number as a user types it: no hex, no Inf or NaN, no "_".
var decimal = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

func setNumber(dst *float64, v interface{}) error {
	switch n := v.(type) {
	case float64:
		*dst = n
		return nil
	case string:
		text := strings.TrimSpace(n)
		f, err := strconv.ParseFloat(text, 64)
		switch {
		case decimal.MatchString(text) && errors.Is(err, strconv.ErrRange):
			return fmt.Errorf("%q is beyond the numbers this setting can hold; allowed: a decimal number such as 80", n)
		case err == nil && decimal.MatchString(text):
			*dst = f
			return nil
		}
		return fmt.Errorf("%q is not a number; allowed: a decimal number such as 80", n)
	}
	return fmt.Errorf("%s is not a number; allowed: a decimal number such as 80", kindOf(v))
}

// asProtocol reads a protocol in any letter case; the construct checks it.
// An empty value is an error here: the construct would take it for unset.
func asProtocol(v interface{}) (string, error) {
	s, err := asNonEmpty(v, clb.List())
	return string(clb.Normalize(s)), err
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
				return nil, fmt.Errorf("the list holds %s, which is not a string; allowed: a list of strings", kindOf(item))
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s is not allowed; allowed: a comma-separated string or a list of strings", kindOf(v))
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
	if p.Addr().Is4In6() {
		// Security groups take IPv4 blocks as IPv4 (aws-cdk-lib's
		// Peer.ipv6 refuses this form).
		hint := "give IPv4 addresses as an IPv4 block, such as 10.0.0.0/8"
		if p.Bits() >= 96 {
			hint = fmt.Sprintf("did you mean %s?", netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96))
		}
		return netip.Prefix{}, fmt.Errorf("%q is an IPv4-mapped IPv6 block; %s", s, hint)
	}
	return p, nil
}

// numText renders a number as typed: 80, not 80.000000, and 1e+300, not
// 301 digits.
func numText(v float64) string {
	if math.Abs(v) >= 1e21 {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// clip quotes a value, cut to 80 characters (not bytes).
func clip(s string) string {
	if r := []rune(s); len(r) > 80 {
		return strconv.Quote(string(r[:77]) + "...")
	}
	return strconv.Quote(s)
}
