package webtierapp

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// Formats of AWS identifiers, checked so that a typo fails at synth rather
// than minutes into a deploy.
var (
	regionFormat       = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$`)
	vpcIDFormat        = regexp.MustCompile(`^vpc-([0-9a-f]{8}|[0-9a-f]{17})$`)
	subnetIDFormat     = regexp.MustCompile(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)
	instanceTypeFormat = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9-]+$`)
	zoneIDFormat       = regexp.MustCompile(`^[A-Z0-9]{1,32}$`)
	stackNameFormat    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]{0,127}$`)
	amiIDFormat        = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)
	prefixListFormat   = regexp.MustCompile(`^pl-([0-9a-f]{8}|[0-9a-f]{17})$`)
)

// matching returns a parser that reads a string and checks it against a format.
func matching(format *regexp.Regexp, allowed string) func(interface{}) (string, error) {
	return func(v interface{}) (string, error) {
		s, err := asString(v)
		if err != nil {
			return "", err
		}
		if !format.MatchString(s) {
			return "", fmt.Errorf("%q is not valid; allowed: %s", s, allowed)
		}
		return s, nil
	}
}

var (
	asRegion       = matching(regionFormat, "a region name such as ap-northeast-2")
	asVpcID        = matching(vpcIDFormat, "vpc- followed by 8 or 17 hex digits")
	asInstanceType = matching(instanceTypeFormat, "an EC2 instance type such as t3.micro")
	asZoneID       = matching(zoneIDFormat, "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ")
	asStackName    = matching(stackNameFormat, "1-128 letters, digits and hyphens, starting with a letter, such as ClassicWebTier-staging")
	asAmiID        = matching(amiIDFormat, "ami- followed by 8 or 17 hex digits, such as ami-0123456789abcdef0")
	asPrefixListID = matching(prefixListFormat, "pl- followed by 8 or 17 hex digits: the id of com.amazonaws.REGION.s3 (aws ec2 describe-managed-prefix-lists)")
)

// asLoadBalancerName reads a name; the construct checks its form. An empty
// value is an error: it is usually an unset shell variable.
func asLoadBalancerName(v interface{}) (string, error) {
	s, err := asString(v)
	if err == nil && s == "" {
		err = fmt.Errorf("is empty; give 1-%d letters, digits and hyphens, or drop the key for %s (with stackName, CloudFormation generates a name)", clb.MaxNameLength, DefaultLoadBalancerName)
	}
	return s, err
}

func asSubnetIDs(v interface{}) ([]string, error) {
	ids, err := asStrings(v)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%q names no subnet; give subnet ids, comma-separated", fmt.Sprint(v))
	}
	for _, id := range ids {
		if !subnetIDFormat.MatchString(id) {
			return nil, fmt.Errorf("%q is not a subnet id; allowed: subnet- followed by 8 or 17 hex digits", id)
		}
	}
	return ids, nil
}

func asKeyName(v interface{}) (string, error) {
	s, err := asString(v)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(s) == "" || utf8.RuneCountInString(s) > 255 {
		return "", fmt.Errorf("%q is not a key pair name; allowed: 1-255 characters", s)
	}
	return s, nil
}

// asNonEmpty reads a string that must not be empty (an empty value is
// usually an unset shell variable); the construct checks its form.
func asNonEmpty(v interface{}, allowed string) (string, error) {
	s, err := asString(v)
	if err == nil && strings.TrimSpace(s) == "" {
		err = fmt.Errorf("is empty; give %s, or drop the key", allowed)
	}
	return s, err
}

// cdkPlainKeys are context keys without ':', '@' or '/' that the CDK itself
// writes (`cdk acknowledge`).
var cdkPlainKeys = map[string]bool{"acknowledged-issue-numbers": true}

// unknownKeys reports plain keys that are not settings, with the nearest
// setting. Keys with ':', '@' or '/' belong to the CDK (feature flags, lookups).
func unknownKeys(ctx map[string]interface{}) []error {
	known := map[string]bool{}
	for _, k := range Keys {
		known[k.Name] = true
	}
	var names []string
	for key := range ctx {
		if !known[key] && !cdkPlainKeys[key] && !strings.ContainsAny(key, ":@/") {
			names = append(names, key)
		}
	}
	sort.Strings(names)
	errs := make([]error, len(names))
	for i, key := range names {
		errs[i] = fmt.Errorf("%s: is not a setting; did you mean %s? (the README lists every setting)", key, nearestKey(key))
	}
	return errs
}

// nearestKey is the setting with the smallest edit distance, ignoring case.
func nearestKey(key string) string {
	names := make([]string, len(Keys))
	for i, k := range Keys {
		names[i] = k.Name
	}
	return nearest(key, names)
}

// nearest is the name with the smallest edit distance, ignoring case.
func nearest(s string, names []string) string {
	best, bestDist := "", -1
	for _, n := range names {
		if d := editDistance(strings.ToLower(s), strings.ToLower(n)); bestDist < 0 || d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
