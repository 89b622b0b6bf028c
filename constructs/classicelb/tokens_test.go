package classicelb

import (
	"fmt"
	"math"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
)

// TestUnresolvedAgreesWithAwsCdkLib: the Go reading of tokens answers as
// awscdk.Token_IsUnresolved does, for every kind of token a setting or a
// given construct can carry and for text that only looks like one. An
// aws-cdk-lib upgrade that changes the encoding fails here.
func TestUnresolvedAgreesWithAwsCdkLib(t *testing.T) {
	app := awscdk.NewApp(nil)
	agnostic := awscdk.NewStack(app, jsii.String("Agnostic"), nil)
	bucket := awss3.NewBucket(agnostic, jsii.String("Bucket"), nil)
	imported := awscdk.Fn_ImportValue(jsii.String("SharedName"))
	number := awscdk.Token_AsNumber(bucket.BucketName())
	strs := []string{
		"", "exampleelb", "ap-northeast-2", "${Token[", "Token[x]", "${Token[TOKEN.12]", "${Token[TOKEN 12]}", "#{Token[TOKEN.12]}",
		"${Token[TOKEN.12]}", "a-${Token[AWS.Region.3]}-b", "${Token[a:b_c-d.1]}", "-1.8881545897087626e+289", "Token[-1.8881545897087626e+289",
		*agnostic.Region(), *agnostic.Account(), *agnostic.StackName(), *bucket.BucketName(), *bucket.BucketArn(), *imported,
		*awscdk.Fn_Join(jsii.String("-"), jsii.Strings("a", *agnostic.Region())), *awscdk.Fn_Join(jsii.String("-"), jsii.Strings("a", "b")),
		*awscdk.Token_AsString(number, nil), "port " + *awscdk.Token_AsString(number, nil), *awscdk.Aws_PARTITION(),
	}
	for _, s := range strs {
		if want := *awscdk.Token_IsUnresolved(jsii.String(s)); unresolved(s) != want {
			t.Errorf("string %q: unresolved %v, aws-cdk-lib %v", s, unresolved(s), want)
		}
	}
	nums := []float64{0, 1, 80, 65535, -1, 1.5, math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64,
		*number, *awscdk.Token_AsNumber(agnostic.Region()), -1.8881545897087626e+289, -1.9e+289}
	for _, n := range nums {
		if want := *awscdk.Token_IsUnresolved(jsii.Number(n)); unresolved(n) != want {
			t.Errorf("number %s: unresolved %v, aws-cdk-lib %v", fmt.Sprint(n), unresolved(n), want)
		}
	}
	if unresolvedPtr[string](nil) || unresolvedPtr[float64](nil) {
		t.Error("nil is a token")
	}
}
