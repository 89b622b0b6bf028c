package classicelb

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/regioninfo"
	"github.com/aws/jsii-runtime-go"
)

// accessLogBucket returns the given bucket, or creates a hardened one, and
// lets the region's ELB log delivery write into it. An imported bucket's
// policy is its owner's (validation asks for DeliveryGrantedByBucketPolicy):
// nothing is added to it, nor looked up for it.
func (w *webTier) accessLogBucket() (awss3.IBucket, *awsiam.AddToResourcePolicyResult) {
	s := w.spec
	bucket := s.accessLog.bucket
	if s.accessLog.bucketImported {
		return bucket, nil
	}
	if bucket == nil {
		created := awss3.NewBucket(w, jsii.String("AccessLogs"), &awss3.BucketProps{
			// ELB writes access logs only to SSE-S3 buckets, not KMS ones.
			Encryption:        awss3.BucketEncryption_S3_MANAGED,
			BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
			ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
			EnforceSSL:        jsii.Bool(true),
			Versioned:         jsii.Bool(true),
			// Logs are evidence: deleting the stack keeps them.
			RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
			LifecycleRules: &[]*awss3.LifecycleRule{{
				Id:                                  jsii.String("ExpireAccessLogs"),
				Expiration:                          awscdk.Duration_Days(jsii.Number(s.accessLog.expirationDays)),
				NoncurrentVersionExpiration:         awscdk.Duration_Days(jsii.Number(1)),
				AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(1)),
			}},
		})
		w.suppress(one(created), nagRule{id: "AwsSolutions-S1", reason: "This bucket is the final destination of access logs; logging its own access would need another bucket without end."})
		bucket = created
	}
	return bucket, grantLogDelivery(w, bucket, s.accessLog.prefix)
}

// disabledLogBucketName is the bucket a disabled access logging policy
// names: CloudFormation requires a name, but ELB writes nothing while logs
// are off and checks no bucket (its API takes AccessLog {Enabled: false}
// alone). Naming a bucket of the stack would need one created for nothing;
// a stack whose logs were on lets go of the bucket it made, which is kept
// with its logs (RETAIN). A given bucket is not named either: one of
// another stack would be an export that logs no longer need.
const disabledLogBucketName = "access-logs-disabled"

// disabledAccessLogging turns a load balancer's access logs off.
func disabledAccessLogging() *awselasticloadbalancing.CfnLoadBalancer_AccessLoggingPolicyProperty {
	return &awselasticloadbalancing.CfnLoadBalancer_AccessLoggingPolicyProperty{
		Enabled:      jsii.Bool(false),
		S3BucketName: jsii.String(disabledLogBucketName),
	}
}

// elbLogDeliveryService is the principal that writes access logs in regions
// opened after August 2022, which have no regional ELB account.
const elbLogDeliveryService = "logdelivery.elasticloadbalancing.amazonaws.com"

// grantLogDelivery lets the region's ELB log delivery write into the bucket:
// the regional ELB account in older regions (Seoul: 600734575887), the service
// principal in newer ones. aws-cdk-lib's region table decides which.
func grantLogDelivery(w *webTier, bucket awss3.IBucket, prefix string) *awsiam.AddToResourcePolicyResult {
	stack := w.stack()
	var principal awsiam.IPrincipal = awsiam.NewServicePrincipal(jsii.String(elbLogDeliveryService), nil)
	if w.spec.region == "" {
		// Environment-agnostic: a mapping of every known region's ELB account.
		principal = awsiam.NewAccountPrincipal(stack.RegionalFact(regioninfo.FactName_ELBV2_ACCOUNT(), nil))
	} else if account := regioninfo.RegionInfo_Get(jsii.String(w.spec.region)).Elbv2Account(); account != nil {
		principal = awsiam.NewAccountPrincipal(account)
	}
	objects := "AWSLogs/" + *stack.Account() + "/*"
	if prefix != "" {
		objects = prefix + "/" + objects
	}
	return bucket.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("ElbAccessLogDelivery"),
		Principals: &[]awsiam.IPrincipal{principal},
		Actions:    jsii.Strings("s3:PutObject"),
		Resources:  jsii.Strings(*bucket.ArnForObjects(jsii.String(objects))),
	}))
}
