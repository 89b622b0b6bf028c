package classicelb

import (
	"math"
	"regexp"
	"strings"
)

// stringToken is aws-cdk-lib's pattern of a token inside a string
// (core/lib/private/encoding: "${Token[KEY]}", or a number token turned to
// text).
var stringToken = regexp.MustCompile(`\$\{Token\[[a-zA-Z0-9:._-]+\]\}|-1\.\d{10,16}e\+289`)

// unresolved is what awscdk.Token_IsUnresolved answers for a string or a
// number, read in Go: the construct asks it of every setting and given
// value, and each awscdk call is a round trip to the jsii kernel.
// TestUnresolvedAgreesWithAwsCdkLib holds it to aws-cdk-lib's own answer.
func unresolved[T string | float64](v T) bool {
	switch x := any(v).(type) {
	case string:
		return strings.Contains(x, "Token[") && stringToken.MatchString(x)
	case float64:
		// A number token is a double whose upper 16 bits are 0xFBFF.
		return uint32(math.Float64bits(x)>>32)&0xFFFF0000 == 0xFBFF0000
	}
	return false
}

// unresolvedPtr is unresolved for an optional value: nil is not a token.
func unresolvedPtr[T string | float64](v *T) bool { return v != nil && unresolved(*v) }
