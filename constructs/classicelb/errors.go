package classicelb

import (
	"fmt"
	"strings"
)

// Problem is one invalid setting: which setting, and what is wrong with its
// value, including what is allowed.
type Problem struct {
	// Setting names the WebTierProps field, e.g. "HealthCheck.Interval" or
	// "Listeners[1].SslCertificateArn"; for an argument of a WebTier
	// method, the method and the argument, e.g. "Metric(metricName)".
	Setting string
	// Message says what the value is and what is allowed instead.
	Message string
}

// Error renders the problem as "Setting: message".
func (p Problem) Error() string { return p.Setting + ": " + p.Message }

// ValidationError reports every invalid setting of one WebTier at once.
// NewWebTier panics with it (as aws-cdk-lib constructs throw); ValidateProps
// returns it. errors.As finds it, and errors.Is/As see each Problem through
// Unwrap.
type ValidationError struct {
	// Path is the construct path of the WebTier, empty when the props were
	// validated on their own with ValidateProps, and the function's name
	// for an argument of a package function (NewAliasTarget).
	Path string
	// Problems are the invalid settings, in the order of the checks: that
	// of WebTierProps, with the given parts (subnets, role, groups) among
	// the settings they affect.
	Problems []Problem
}

// Error lists every problem, one per line, under the construct path.
func (e *ValidationError) Error() string {
	var b strings.Builder
	where := "WebTierProps"
	if e.Path != "" {
		where = e.Path
	}
	noun := "settings"
	if len(e.Problems) == 1 {
		noun = "setting"
	}
	fmt.Fprintf(&b, "%s: %d invalid %s:", where, len(e.Problems), noun)
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns each problem as an error.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// problems collects Problems in order.
type problems []Problem

func (ps *problems) add(setting, format string, args ...interface{}) {
	*ps = append(*ps, Problem{Setting: setting, Message: fmt.Sprintf(format, args...)})
}

// err returns nil for no problems, else a *ValidationError.
func (ps problems) err(path string) error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Path: path, Problems: ps}
}

// argumentError is what a WebTier method or a package function panics
// with for an argument it cannot use: where is the WebTier's construct
// path (or the function's name), argument names the argument.
func argumentError(where, argument, format string, args ...interface{}) error {
	var ps problems
	ps.add(argument, format, args...)
	return ps.err(where)
}
