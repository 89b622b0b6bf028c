package boot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// resolver evaluates CloudFormation's intrinsic functions in a template with
// made-up values: what CloudFormation would hand EC2, for a stack in region
// of account, once every resource exists. A function it cannot make a value
// for is an error that names it and where it is.
type resolver struct {
	template map[string]any
	region   string
	account  string
	stack    string
}

// noValue stands for AWS::NoValue: the property is left out.
type noValue struct{}

func newResolver(template map[string]any, region string) *resolver {
	return &resolver{template: template, region: region, account: madeUpAccount, stack: madeUpStack}
}

// The made-up account and stack name of every boot.
const (
	madeUpAccount = "123456789012"
	madeUpStack   = "BootTest"
)

// section is one top-level section of the template (Resources, Parameters,
// Mappings, Conditions), empty when absent.
func (r *resolver) section(name string) map[string]any {
	m, _ := r.template[name].(map[string]any)
	return m
}

// resolve evaluates v; at names it in errors (a JSON path).
func (r *resolver) resolve(v any, at string) (any, error) {
	switch v := v.(type) {
	case []any:
		out := make([]any, 0, len(v))
		for i, e := range v {
			x, err := r.resolve(e, fmt.Sprintf("%s[%d]", at, i))
			if err != nil {
				return nil, err
			}
			if _, skip := x.(noValue); !skip {
				out = append(out, x)
			}
		}
		return out, nil
	case map[string]any:
		if len(v) == 1 {
			for k, arg := range v {
				if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
					return r.function(k, arg, at+"."+k)
				}
			}
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			x, err := r.resolve(e, at+"."+k)
			if err != nil {
				return nil, err
			}
			if _, skip := x.(noValue); !skip {
				out[k] = x
			}
		}
		return out, nil
	default:
		return v, nil
	}
}

// str resolves v to a string, as CloudFormation turns numbers and booleans
// into strings where a string is expected.
func (r *resolver) str(v any, at string) (string, error) {
	x, err := r.resolve(v, at)
	if err != nil {
		return "", err
	}
	return scalar(x, at)
}

func scalar(x any, at string) (string, error) {
	switch x := x.(type) {
	case string:
		return x, nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("%s: want a string, got %T", at, x)
}

func (r *resolver) list(v any, at string) ([]any, error) {
	x, err := r.resolve(v, at)
	if err != nil {
		return nil, err
	}
	l, ok := x.([]any)
	if !ok {
		return nil, fmt.Errorf("%s: want a list, got %T", at, x)
	}
	return l, nil
}

// args resolves a function's argument list of n entries.
func args(arg any, n int, at string) ([]any, error) {
	l, ok := arg.([]any)
	if !ok || len(l) != n {
		return nil, fmt.Errorf("%s: want a list of %d arguments", at, n)
	}
	return l, nil
}

// strs resolves a function's n arguments to strings.
func (r *resolver) strs(arg any, n int, at string) ([]string, error) {
	a, err := args(arg, n, at)
	if err != nil {
		return nil, err
	}
	out := make([]string, n)
	for i := range a {
		if out[i], err = r.str(a[i], fmt.Sprintf("%s[%d]", at, i)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// strAndList resolves the arguments [string, list] of Fn::Join and
// Fn::Select.
func (r *resolver) strAndList(arg any, at string) (string, []any, error) {
	a, err := args(arg, 2, at)
	if err != nil {
		return "", nil, err
	}
	s, err := r.str(a[0], at+"[0]")
	if err != nil {
		return "", nil, err
	}
	l, err := r.list(a[1], at+"[1]")
	return s, l, err
}

func (r *resolver) function(name string, arg any, at string) (any, error) {
	switch name {
	case "Ref":
		ref, ok := arg.(string)
		if !ok {
			return nil, fmt.Errorf("%s: want a name", at)
		}
		return r.ref(ref, at)
	case "Fn::GetAtt":
		var logical, attr string
		switch a := arg.(type) {
		case string:
			logical, attr, _ = strings.Cut(a, ".")
		case []any:
			if len(a) == 2 {
				logical, _ = a[0].(string)
				attr, _ = r.str(a[1], at+"[1]")
			}
		}
		if logical == "" || attr == "" {
			return nil, fmt.Errorf("%s: want [resource, attribute]", at)
		}
		return r.getAtt(logical, attr, at)
	case "Fn::Base64":
		// EC2 decodes it: the instance sees the text.
		return r.str(arg, at)
	case "Fn::Join":
		sep, parts, err := r.strAndList(arg, at)
		if err != nil {
			return nil, err
		}
		out := make([]string, len(parts))
		for i, p := range parts {
			if out[i], err = scalar(p, fmt.Sprintf("%s[1][%d]", at, i)); err != nil {
				return nil, err
			}
		}
		return strings.Join(out, sep), nil
	case "Fn::Select":
		is, l, err := r.strAndList(arg, at)
		if err != nil {
			return nil, err
		}
		i, err := strconv.Atoi(is)
		if err != nil {
			return nil, fmt.Errorf("%s[0]: %q is not an index", at, is)
		}
		if i < 0 || i >= len(l) {
			return nil, fmt.Errorf("%s: index %d out of a list of %d", at, i, len(l))
		}
		return l[i], nil
	case "Fn::Split":
		a, err := r.strs(arg, 2, at)
		if err != nil {
			return nil, err
		}
		var out []any
		for _, p := range strings.Split(a[1], a[0]) {
			out = append(out, p)
		}
		return out, nil
	case "Fn::GetAZs":
		region, err := r.str(arg, at)
		if err != nil {
			return nil, err
		}
		if region == "" {
			region = r.region
		}
		return []any{region + "a", region + "b", region + "c"}, nil
	case "Fn::Sub":
		return r.sub(arg, at)
	case "Fn::FindInMap":
		keys, err := r.strs(arg, 3, at)
		if err != nil {
			return nil, err
		}
		m, _ := r.section("Mappings")[keys[0]].(map[string]any)
		top, _ := m[keys[1]].(map[string]any)
		v, ok := top[keys[2]]
		if !ok {
			return nil, fmt.Errorf("%s: mapping %s has no %s.%s", at, keys[0], keys[1], keys[2])
		}
		return v, nil
	case "Fn::If":
		a, err := args(arg, 3, at)
		if err != nil {
			return nil, err
		}
		cond, _ := a[0].(string)
		ok, err := r.condition(cond, at)
		if err != nil {
			return nil, err
		}
		if ok {
			return r.resolve(a[1], at+"[1]")
		}
		return r.resolve(a[2], at+"[2]")
	case "Fn::Equals":
		a, err := r.strs(arg, 2, at)
		if err != nil {
			return nil, err
		}
		return a[0] == a[1], nil
	case "Fn::Not", "Fn::And", "Fn::Or":
		l, ok := arg.([]any)
		if !ok || len(l) == 0 {
			return nil, fmt.Errorf("%s: want a list of conditions", at)
		}
		vals := make([]bool, len(l))
		for i, c := range l {
			x, err := r.resolve(c, fmt.Sprintf("%s[%d]", at, i))
			if err != nil {
				return nil, err
			}
			b, ok := x.(bool)
			if !ok {
				return nil, fmt.Errorf("%s[%d]: want a condition", at, i)
			}
			vals[i] = b
		}
		switch name {
		case "Fn::Not":
			return !vals[0], nil
		case "Fn::And":
			for _, b := range vals {
				if !b {
					return false, nil
				}
			}
			return true, nil
		default:
			for _, b := range vals {
				if b {
					return true, nil
				}
			}
			return false, nil
		}
	case "Condition":
		cond, _ := arg.(string)
		return r.condition(cond, at)
	}
	return nil, fmt.Errorf("%s: the boot test makes up no value for %s", at, name)
}

func (r *resolver) condition(name, at string) (bool, error) {
	c, ok := r.section("Conditions")[name]
	if !ok {
		return false, fmt.Errorf("%s: no condition %q", at, name)
	}
	x, err := r.resolve(c, "Conditions."+name)
	if err != nil {
		return false, err
	}
	b, ok := x.(bool)
	if !ok {
		return false, fmt.Errorf("Conditions.%s: not a condition", name)
	}
	return b, nil
}

// ref is a pseudo parameter, a parameter's default (an image id for an
// image parameter read from SSM), or a resource's made-up physical id.
func (r *resolver) ref(name, at string) (any, error) {
	switch name {
	case "AWS::Region":
		return r.region, nil
	case "AWS::AccountId":
		return r.account, nil
	case "AWS::StackName":
		return r.stack, nil
	case "AWS::StackId":
		return fmt.Sprintf("arn:%s:cloudformation:%s:%s:stack/%s/%s", partition(r.region), r.region, r.account, r.stack, "00000000-0000-0000-0000-000000000000"), nil
	case "AWS::Partition":
		return partition(r.region), nil
	case "AWS::URLSuffix":
		if partition(r.region) == "aws-cn" {
			return "amazonaws.com.cn", nil
		}
		return "amazonaws.com", nil
	case "AWS::NoValue":
		return noValue{}, nil
	case "AWS::NotificationARNs":
		return []any{}, nil
	}
	if p, ok := r.section("Parameters")[name].(map[string]any); ok {
		typ, _ := p["Type"].(string)
		if strings.Contains(typ, "AWS::EC2::Image::Id") {
			return madeUpID("ami-", name), nil
		}
		if def, ok := p["Default"]; ok {
			return def, nil
		}
		return nil, fmt.Errorf("%s: parameter %s has no default", at, name)
	}
	res, ok := r.section("Resources")[name].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: no parameter or resource %s", at, name)
	}
	typ, _ := res["Type"].(string)
	return physicalID(typ, name), nil
}

// getAtt is a made-up attribute of a resource of the template.
func (r *resolver) getAtt(logical, attr, at string) (any, error) {
	res, ok := r.section("Resources")[logical].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: no resource %s", at, logical)
	}
	typ, _ := res["Type"].(string)
	id := physicalID(typ, logical)
	switch attr {
	case "Arn":
		return fmt.Sprintf("arn:%s:%s:%s:%s:%s", partition(r.region), serviceOf(typ), r.region, r.account, id), nil
	case "GroupId":
		return id, nil
	}
	return id + "." + attr, nil
}

var subVar = regexp.MustCompile(`\$\{([^}]*)\}`)

// sub is Fn::Sub: ${Name} is a variable, a parameter, a pseudo parameter or
// a resource's Ref, ${Resource.Attribute} its attribute, ${!Text} the text
// ${Text}.
func (r *resolver) sub(arg any, at string) (any, error) {
	var text string
	vars := map[string]any{}
	switch a := arg.(type) {
	case string:
		text = a
	case []any:
		if len(a) != 2 {
			return nil, fmt.Errorf("%s: want [text, variables]", at)
		}
		text, _ = a[0].(string)
		m, _ := a[1].(map[string]any)
		for k, v := range m {
			vars[k] = v
		}
	default:
		return nil, fmt.Errorf("%s: want text", at)
	}
	var failed error
	out := subVar.ReplaceAllStringFunc(text, func(m string) string {
		name := m[2 : len(m)-1]
		if strings.HasPrefix(name, "!") {
			return "${" + name[1:] + "}"
		}
		var v any
		var err error
		if x, ok := vars[name]; ok {
			v, err = r.resolve(x, at+"."+name)
		} else if logical, attr, ok := strings.Cut(name, "."); ok {
			v, err = r.getAtt(logical, attr, at)
		} else {
			v, err = r.ref(name, at)
		}
		var s string
		if err == nil {
			s, err = scalar(v, at+" ${"+name+"}")
		}
		if err != nil && failed == nil {
			failed = err
		}
		return s
	})
	return out, failed
}

// partition is the AWS partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// idPrefixes are the prefixes of EC2's ids, by resource type.
var idPrefixes = map[string]string{
	"AWS::EC2::Instance":        "i-",
	"AWS::EC2::SecurityGroup":   "sg-",
	"AWS::EC2::Subnet":          "subnet-",
	"AWS::EC2::VPC":             "vpc-",
	"AWS::EC2::LaunchTemplate":  "lt-",
	"AWS::EC2::RouteTable":      "rtb-",
	"AWS::EC2::InternetGateway": "igw-",
	"AWS::EC2::VPCEndpoint":     "vpce-",
	"AWS::EC2::KeyPair":         "key-",
}

// physicalID is a made-up id of a resource, in its type's format where EC2
// has one, stable for the same logical id.
func physicalID(typ, logical string) string {
	if prefix, ok := idPrefixes[typ]; ok {
		return madeUpID(prefix, logical)
	}
	return strings.ToLower(logical)
}

// madeUpID is prefix and 17 hexadecimal digits drawn from name.
func madeUpID(prefix, name string) string {
	sum := sha256.Sum256([]byte(name))
	return prefix + "0" + hex.EncodeToString(sum[:])[:16]
}

// serviceOf is the ARN service of a resource type ("AWS::IAM::Role" ->
// "iam").
func serviceOf(typ string) string {
	parts := strings.Split(typ, "::")
	if len(parts) == 3 {
		return strings.ToLower(parts[1])
	}
	return "unknown"
}
