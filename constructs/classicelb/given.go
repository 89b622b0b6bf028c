package classicelb

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// What resolveProps reads from the objects a user passes in: facts about a
// bucket, a zone or a peer that validation needs and that only jsii knows.

// zoneName reads a hosted zone's name. A zone imported by id alone
// (awsroute53.HostedZone_FromHostedZoneId) has none: aws-cdk-lib throws on
// the read, and the alias record could not be named.
func zoneName(zone awsroute53.IHostedZone) (name, problem string) {
	defer func() {
		if r := recover(); r != nil {
			name, problem = "", "has no zone name (imported with HostedZone_FromHostedZoneId?), so the record's name cannot be built; import it with awsroute53.HostedZone_FromHostedZoneAttributes (id and name) or HostedZone_FromLookup"
		}
	}()
	return *zone.ZoneName(), ""
}

// bucketFacts tells whether a given log bucket encrypts with KMS (ELB writes
// only to SSE-S3 buckets) and whether it is imported (its policy cannot be
// changed from this stack).
func bucketFacts(bucket awss3.IBucket) (kms, imported bool, name string) {
	name = *bucket.Node().Path()
	if !unresolvedPtr(bucket.BucketName()) {
		name = *bucket.BucketName()
	}
	if bucket.EncryptionKey() != nil {
		kms = true
	}
	imported = !*awscdk.Resource_IsOwnedResource(bucket)
	if cfn, ok := bucket.Node().DefaultChild().(awss3.CfnBucket); ok && cfn.BucketEncryption() != nil {
		// The rendered encryption of a bucket of this app: "aws:kms" or
		// "aws:kms:dsse" (BucketEncryption_KMS_MANAGED has no key object).
		raw, _ := json.Marshal(awscdk.Stack_Of(bucket).Resolve(cfn.BucketEncryption()))
		kms = kms || strings.Contains(strings.ToLower(string(raw)), "aws:kms")
	}
	return kms, imported, name
}

// peerOf names a peer and its IP family: the quota of security group rules
// counts IPv4 and IPv6 rules apart. Security groups and prefix lists count
// as IPv4.
func peerOf(peer awsec2.IPeer) peerSpec {
	id := *peer.UniqueId()
	return peerSpec{peer: peer, id: id, ipv6: strings.Contains(id, ":") && !strings.Contains(id, "${Token")}
}

// subnetName names a subnet for a message: its id, or its construct path
// when the id is not known before deploy.
func subnetName(sn awsec2.ISubnet) string {
	if id := sn.SubnetId(); !unresolvedPtr(id) {
		return *id
	}
	return fmt.Sprintf("%q", *sn.Node().Path())
}

// subnetFacts lists the selected subnets with their zones, for the
// one-subnet-per-zone check.
func subnetFacts(sel *awsec2.SelectedSubnets) []subnetSpec {
	out := make([]subnetSpec, len(*sel.Subnets))
	for i, sn := range *sel.Subnets {
		zone := sn.AvailabilityZone()
		out[i] = subnetSpec{name: func() string { return subnetName(sn) }, zone: *zone, zoneKnown: !unresolvedPtr(zone)}
	}
	return out
}

// certificateFacts names a given certificate (its ARN, or its construct
// path before deploy) and its region when known: from a literal ARN, else
// from the stack it belongs to.
func certificateFacts(cert awscertificatemanager.ICertificate) (name, region string) {
	if arn := cert.CertificateArn(); !unresolvedPtr(arn) {
		return *arn, clb.ACMRegion(*arn)
	}
	name = fmt.Sprintf("%q", *cert.Node().Path())
	if r := cert.Env().Region; r != nil && !unresolvedPtr(r) {
		region = *r
	}
	return name, region
}

// groupFacts reads what validation needs of a given security group.
func groupFacts(sg awsec2.ISecurityGroup) givenGroup {
	if sg == nil {
		return givenGroup{}
	}
	return givenGroup{
		group:            sg,
		path:             *sg.Node().Path(),
		imported:         !*awscdk.Resource_IsOwnedResource(sg),
		allowAllOutbound: *sg.AllowAllOutbound(),
	}
}

// roleFacts reads what validation needs of a given instance role: whether
// it is imported (its policies cannot change here) and, for a role of this
// app, whether its trust policy names EC2.
func roleFacts(role awsiam.IRole) givenRole {
	if role == nil {
		return givenRole{}
	}
	// A LazyRole of this app makes its role when first used, so it owns no
	// resource yet; it takes policies all the same.
	_, lazy := role.(awsiam.LazyRole)
	g := givenRole{role: role, path: *role.Node().Path(), imported: !lazy && !*awscdk.Resource_IsOwnedResource(role), trustsEC2: true}
	if r, ok := role.(awsiam.Role); ok && !g.imported && r.AssumeRolePolicy() != nil {
		raw, _ := json.Marshal(awscdk.Stack_Of(role).Resolve(r.AssumeRolePolicy()))
		g.trustsEC2 = strings.Contains(string(raw), "ec2.amazonaws.com")
	}
	return g
}

// selectSubnets selects subnets of the VPC, or says why none can be: aws-cdk-lib
// throws when the VPC has no subnet group of the requested type.
func selectSubnets(vpc awsec2.IVpc, sel *awsec2.SubnetSelection) (selected *awsec2.SelectedSubnets, problem string) {
	defer func() {
		if r := recover(); r != nil {
			selected, problem = nil, thrown(r)
		}
	}()
	return vpc.SelectSubnets(sel), ""
}

// thrown is the message of an error aws-cdk-lib threw, without the name
// jsii puts before it ("ThereSubnetGroups: There are no ...").
func thrown(r interface{}) string {
	msg := strings.TrimSpace(fmt.Sprint(r))
	if name, rest, ok := strings.Cut(msg, ": "); ok && !strings.ContainsAny(name, " \t") {
		msg = rest
	}
	return strings.TrimSuffix(strings.TrimSpace(msg), ".")
}
