package webtierapp

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/classic-webtier/cdk-classic-webtier/constructs/classicelb"
	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
	"github.com/classic-webtier/cdk-classic-webtier/internal/stackenv"
)

// Routing policies of the routing key among several regions.
const (
	RoutingLatency  = "latency"
	RoutingFailover = "failover"
	RoutingWeighted = "weighted"
)

// routingPolicies maps the routing key's values to the construct's.
var routingPolicies = map[string]classicelb.RoutingPolicy{
	RoutingLatency:  classicelb.RoutingLatency,
	RoutingFailover: classicelb.RoutingFailover,
	RoutingWeighted: classicelb.RoutingWeighted,
}

// regionalKey is a setting that names something of one region: with
// several regions it takes a region=value list (as does the listeners'
// certificateArn, unless it is an IAM server certificate, which is global).
type regionalKey struct {
	name  string
	parse func(interface{}) (string, error)
	// example is a value, for messages.
	example string
	// shared: one plain value may serve every region (a key pair may have
	// the same name in each).
	shared bool
	// field is where ForRegion puts the region's value.
	field func(*Settings) *string
}

var regionalKeys = []regionalKey{
	{"vpcId", asVpcID, "vpc-...", false, func(s *Settings) *string { return &s.VpcID }},
	{"amiId", asAmiID, "ami-...", false, func(s *Settings) *string { return &s.AmiID }},
	{"s3PrefixListId", asPrefixListID, "pl-...", false, func(s *Settings) *string { return &s.S3PrefixListID }},
	{"keyName", asKeyName, "web", true, func(s *Settings) *string { return &s.KeyName }},
}

// isRegionalKey tells whether the key is one of regionalKeys.
func isRegionalKey(name string) bool {
	return slices.ContainsFunc(regionalKeys, func(k regionalKey) bool { return k.name == name })
}

// failoverRegions is how many regions failover routing takes: Route 53
// has one PRIMARY and one SECONDARY record per name.
const failoverRegions = 2

// asRegions reads the regions key: a comma-separated string or a list, each
// a region name, none twice.
func asRegions(v interface{}) ([]string, error) {
	list, err := asStrings(v)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("%s names no region; give the regions comma-separated, such as ap-northeast-2,ap-northeast-1", kindOf(v))
	}
	seen := map[string]bool{}
	var errs []error
	for _, r := range list {
		if _, err := asRegion(r); err != nil {
			errs = append(errs, err)
		} else if seen[r] {
			errs = append(errs, fmt.Errorf("%s is given twice; give each region once (Route 53 keeps one latency record per region and name)", r))
		}
		seen[r] = true
	}
	if len(errs) > 0 {
		return nil, joined(errs)
	}
	return list, nil
}

func asRouting(v interface{}) (string, error) {
	s, err := asString(v)
	if err != nil {
		return "", err
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if _, ok := routingPolicies[s]; !ok {
		return "", fmt.Errorf("%q is not allowed; allowed: %s (the closest healthy region), %s (the first region while healthy, else the second) or %s (shares given by weights)", s, RoutingLatency, RoutingFailover, RoutingWeighted)
	}
	return s, nil
}

// regionValues reads a region=value list (comma-separated, or an object in
// cdk.json) that names every one of regions once; parse checks each value.
func regionValues(raw interface{}, regions []string, example string, parse func(region, value string) (string, error)) (map[string]string, error) {
	pairs := map[string]string{}
	var order []string
	switch v := raw.(type) {
	case map[string]interface{}:
		for r, val := range v {
			s, ok := val.(string)
			if !ok {
				return nil, fmt.Errorf("the value of %s is %s; allowed: a string", r, kindOf(val))
			}
			pairs[r] = s
			order = append(order, r)
		}
		sort.Strings(order)
	default:
		list, err := asStrings(raw)
		if err != nil {
			return nil, err
		}
		for _, item := range list {
			r, val, ok := strings.Cut(item, "=")
			r, val = strings.TrimSpace(r), strings.TrimSpace(val)
			if !ok || r == "" {
				return nil, fmt.Errorf("%q is not region=value; with several regions give one value per region, such as %s", item, example)
			}
			if _, dup := pairs[r]; dup {
				return nil, fmt.Errorf("%s is given twice; give one value per region", r)
			}
			pairs[r] = val
			order = append(order, r)
		}
	}
	var errs []error
	for _, r := range order {
		if !slices.Contains(regions, r) {
			errs = append(errs, fmt.Errorf("%s is not one of regions (%s)", r, strings.Join(regions, ", ")))
			continue
		}
		val, err := parse(r, pairs[r])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r, err))
		}
		pairs[r] = val
	}
	var missing []string
	for _, r := range regions {
		if _, ok := pairs[r]; !ok {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		errs = append(errs, fmt.Errorf("names no value for %s; give one per region, such as %s", strings.Join(missing, ", "), example))
	}
	if len(errs) > 0 {
		return nil, joined(errs)
	}
	return pairs, nil
}

// regionalValue reads one of regionalKeys with several regions: a
// region=value list, or a plain value for a single region or a shared key.
func regionalValue(k regionalKey, raw interface{}, regions []string) (map[string]string, error) {
	if s, ok := raw.(string); ok && (len(regions) == 1 || k.shared) && !strings.Contains(s, "=") {
		v, err := k.parse(s)
		out := map[string]string{}
		for _, r := range regions {
			out[r] = v
		}
		return out, err
	}
	example := fmt.Sprintf("%s=%s,%s=%s", regions[0], k.example, regions[len(regions)-1], k.example)
	if s, ok := raw.(string); ok && !strings.Contains(s, "=") {
		return nil, fmt.Errorf("%q is an id of one region, but regions has %d; give region=value for each, such as %s", s, len(regions), example)
	}
	return regionValues(raw, regions, example, func(_, v string) (string, error) { return k.parse(v) })
}

// certificateArns reads a listener's certificateArn with several regions:
// an IAM server certificate (global) serves every region; ACM ones are
// regional, given as region=arn, each of its own region.
func certificateArns(arn string, regions []string) (map[string]string, error) {
	if clb.IsIAMCertificate(arn) {
		out := map[string]string{}
		for _, r := range regions {
			out[r] = arn
		}
		return out, nil
	}
	if len(regions) == 1 && !strings.Contains(arn, "=") {
		return map[string]string{regions[0]: arn}, nil
	}
	example := fmt.Sprintf("%s=arn:aws:acm:%s:...,%s=arn:aws:acm:%s:...", regions[0], regions[0], regions[len(regions)-1], regions[len(regions)-1])
	if !strings.Contains(arn, "=") {
		return nil, fmt.Errorf("%q is one certificate, but an ACM certificate serves its own region only and regions has %d; give region=arn for each, such as %s, or use https without certificateArn (each region then requests its own)", arn, len(regions), example)
	}
	return regionValues(arn, regions, example, func(region, v string) (string, error) {
		if r := clb.ACMRegion(v); r != "" && r != region {
			return "", fmt.Errorf("%q is a certificate of %s; a load balancer in %s needs one of %s", v, r, region, region)
		}
		return v, nil
	})
}

// weightsFor reads weights: region=weight pairs, or one weight per region
// in the order of regions; each a whole number from 0 to 255.
func weightsFor(raw interface{}, regions []string) (map[string]float64, error) {
	out := map[string]float64{}
	check := func(region, text string) (string, error) {
		w, err := asNumber(text)
		if err != nil {
			return "", err
		}
		if *w < 0 || *w > 255 || *w != math.Trunc(*w) {
			return "", fmt.Errorf("%s is not allowed; allowed: a whole number from 0 to 255 (the region's share of the sum)", numText(*w))
		}
		out[region] = *w
		return text, nil
	}
	raw = numbersAsText(raw)
	if list, err := asStrings(raw); err == nil && len(list) > 0 && !strings.Contains(list[0], "=") {
		if len(list) != len(regions) {
			return nil, fmt.Errorf("gives %d weights for %d regions; give one per region, in the order of regions, or region=weight pairs", len(list), len(regions))
		}
		var errs []error
		for i, text := range list {
			if _, err := check(regions[i], text); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", regions[i], err))
			}
		}
		if len(errs) > 0 {
			return nil, joined(errs)
		}
		return out, nil
	}
	example := fmt.Sprintf("%s=90,%s=10", regions[0], regions[len(regions)-1])
	if _, err := regionValues(raw, regions, example, check); err != nil {
		return nil, err
	}
	return out, nil
}

// allZero reports whether every weight is 0.
func allZero(weights map[string]float64) bool {
	for _, w := range weights {
		if w != 0 {
			return false
		}
	}
	return true
}

// onePartition: the regions' records go to one hosted zone, and a hosted
// zone serves one partition (aws, aws-cn, aws-us-gov ...): Route 53 of
// each is a service of its own, with its own accounts.
func onePartition(regions []string) error {
	byPartition := map[string][]string{}
	var order []string
	for _, r := range regions {
		p := regionTable.partition(r)
		if p == "" {
			continue // an unknown region, reported by its stack
		}
		if byPartition[p] == nil {
			order = append(order, p)
		}
		byPartition[p] = append(byPartition[p], r)
	}
	if len(order) < 2 {
		return nil
	}
	parts := make([]string, len(order))
	for i, p := range order {
		parts[i] = fmt.Sprintf("%s in the %s partition", strings.Join(byPartition[p], ", "), p)
	}
	return fmt.Errorf("names %s; one name's records live in one hosted zone, and a hosted zone serves the regions of one partition only (each partition has its own Route 53 and accounts): deploy each partition's regions behind a name of their own", strings.Join(parts, ", and "))
}

// numbersAsText turns the numbers of a cdk.json list or object ([90, 10],
// {"ap-northeast-2": 90}) into their text, as -c gives them.
func numbersAsText(raw interface{}) interface{} {
	text := func(v interface{}) interface{} {
		if f, ok := v.(float64); ok {
			return numText(f)
		}
		return v
	}
	switch v := raw.(type) {
	case []interface{}:
		out := make([]interface{}, len(v))
		for i, x := range v {
			out[i] = text(x)
		}
		return out
	case map[string]interface{}:
		out := make(map[string]interface{}, len(v))
		for k, x := range v {
			out[k] = text(x)
		}
		return out
	}
	return raw
}

// readRegions reads regions and what goes with it, once every other key is
// read: routing, weights, siteHealthCheck and the region=value lists.
func (s *Settings) readRegions(get func(string) interface{}, fail func(string, error)) {
	if get("regions") == nil {
		for _, key := range []string{"routing", "weights", "siteHealthCheck"} {
			if get(key) != nil {
				fail(key, errors.New("chooses among several regions, which only regions=... deploys; add regions (such as -c regions=ap-northeast-2,ap-northeast-1) or drop it"))
			}
		}
		return
	}
	if raw := get("region"); raw != nil {
		if _, err := asRegion(raw); err == nil {
			fail("region", fmt.Errorf("%q is set beside regions; the stacks go to the regions listed there: drop region", fmt.Sprint(raw)))
		}
	}
	if s.DomainName == "" {
		fail("regions", errors.New("needs domainName: each region's stack adds its own record of the name to that hosted zone, and Route 53 answers with one of them; add domainName (and hostedZoneId, or run with credentials for the lookup)"))
	}
	if len(s.Regions) == 0 {
		return // regions itself was refused
	}
	if s.Routing == "" {
		s.Routing = RoutingLatency
	}
	switch {
	case s.Routing == RoutingFailover && len(s.Regions) != failoverRegions:
		fail("routing", fmt.Errorf("failover needs exactly %d regions (the first serves while healthy, the second takes over; Route 53 has one PRIMARY and one SECONDARY record per name), but regions has %d", failoverRegions, len(s.Regions)))
	case s.Routing == RoutingWeighted && get("weights") == nil:
		fail("weights", fmt.Errorf("is required with routing=weighted; give each region's share, such as weights=%s=90,%s=10", s.Regions[0], s.Regions[len(s.Regions)-1]))
	}
	if raw := get("weights"); raw != nil {
		if s.Routing != RoutingWeighted {
			fail("weights", fmt.Errorf("is for routing=weighted, but routing is %s; drop weights or set routing=weighted", s.Routing))
		} else if w, err := weightsFor(raw, s.Regions); err != nil {
			fail("weights", err)
		} else if allZero(w) {
			fail("weights", fmt.Errorf("gives every region weight 0, and Route 53 then answers with each of them in equal shares (a weight of 0 takes a region out only while another has more); give at least one region a weight above 0, such as weights=%s=100,%s=0", s.Regions[0], s.Regions[len(s.Regions)-1]))
		} else {
			s.Weights = w
		}
	}
	if err := onePartition(s.Regions); err != nil {
		fail("regions", err)
	}
	if s.SiteHealthCheck != nil && *s.SiteHealthCheck && s.Routing != RoutingFailover {
		fail("siteHealthCheck", fmt.Errorf("is for routing=failover; %s records already leave out a region whose load balancer has no healthy instance: drop it", s.Routing))
	}
	if len(s.SubnetIDs) > 0 {
		fail("subnetIds", errors.New("names subnets of one region, but regions deploys to several: drop it (each region's load balancer takes one subnet per Availability Zone of its VPC)"))
	}
	s.regional = map[string]map[string]string{}
	for _, k := range regionalKeys {
		raw := get(k.name)
		if raw == nil {
			continue
		}
		values, err := regionalValue(k, raw, s.Regions)
		if err != nil {
			fail(k.name, err)
			continue
		}
		s.regional[k.name] = values
	}
	for i := range s.Listeners {
		l := &s.Listeners[i]
		if l.CertificateArn == "" {
			continue
		}
		arns, err := certificateArns(l.CertificateArn, s.Regions)
		if err != nil {
			key := "certificateArn"
			if s.listenersFromJSON {
				key = fmt.Sprintf("listeners[%d].certificateArn", i)
			}
			fail(key, err)
			continue
		}
		l.certificateArns = arns
	}
	longest := ""
	for _, r := range s.Regions {
		if name := stackenv.RegionalStackName(s.StackName, r); len(name) > len(longest) {
			longest = name
		}
	}
	if len(longest) > maxStackName {
		fail("stackName", fmt.Errorf("%q makes the stack name %s, %d characters long; CloudFormation takes at most %d: use a shorter stackName", s.StackName, longest, len(longest), maxStackName))
	}
}

// maxStackName is CloudFormation's longest stack name.
const maxStackName = 128

// ForRegion is the settings of the stack in the i-th of Regions: its name
// carries the region, the regional values are that region's, and its
// record is one of the name's records under Routing.
func (s *Settings) ForRegion(i int) *Settings {
	c := *s
	region := s.Regions[i]
	c.Region, c.regionFrom = region, "regions"
	c.StackName = stackenv.RegionalStackName(s.StackName, region)
	for _, k := range regionalKeys {
		if values := s.regional[k.name]; values != nil {
			*k.field(&c) = values[region]
		}
	}
	c.Listeners = slices.Clone(s.Listeners)
	for j := range c.Listeners {
		if arns := c.Listeners[j].certificateArns; arns != nil {
			c.Listeners[j].CertificateArn = arns[region]
		}
	}
	rt := &classicelb.Routing{Policy: routingPolicies[s.Routing]}
	switch s.Routing {
	case RoutingFailover:
		// siteHealthCheck is the primary's: the secondary needs none.
		rt.Failover, rt.SiteHealthCheck = awsroute53.Failover_PRIMARY, s.SiteHealthCheck
		if i > 0 {
			rt.Failover, rt.SiteHealthCheck = awsroute53.Failover_SECONDARY, nil
		}
	case RoutingWeighted:
		rt.Weight = jsii.Number(s.Weights[region])
	}
	c.recordRouting = rt
	return &c
}

// NewStacks builds the app's stacks: one, or one per region of Regions.
// Problems of every region are reported at once; a problem every region
// has is reported once.
func NewStacks(scope constructs.Construct, s *Settings) ([]awscdk.Stack, error) {
	if len(s.Regions) == 0 {
		st, err := NewStack(scope, s)
		if err != nil {
			return nil, err
		}
		return []awscdk.Stack{st}, nil
	}
	var stacks []awscdk.Stack
	perRegion := map[string][]string{}
	var order []string
	for i, region := range s.Regions {
		st, err := NewStack(scope, s.ForRegion(i))
		if err == nil {
			stacks = append(stacks, st)
			continue
		}
		var serr *SettingsError
		if !errors.As(err, &serr) {
			return nil, fmt.Errorf("%s: %w", region, err)
		}
		for _, e := range serr.Errs {
			msg := e.Error()
			if len(perRegion[msg]) == 0 {
				order = append(order, msg)
			}
			perRegion[msg] = append(perRegion[msg], region)
		}
	}
	if len(order) == 0 {
		return stacks, nil
	}
	var errs []error
	for _, msg := range order {
		if len(perRegion[msg]) == len(s.Regions) {
			errs = append(errs, errors.New(msg))
			continue
		}
		key, rest, _ := strings.Cut(msg, ": ")
		errs = append(errs, fmt.Errorf("%s (in %s): %s", key, strings.Join(perRegion[msg], ", "), rest))
	}
	return nil, &SettingsError{Errs: errs}
}

// joined is several problems of one setting on one line.
func joined(errs []error) error {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "; "))
}
