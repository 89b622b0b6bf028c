package classicelb

import (
	"fmt"
	"sort"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancing"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// WebTier is a classic load balancer in front of Amazon Linux instances spread
// over Availability Zones, with their security groups and an optional Route 53
// alias: the console tutorial's web tier as one construct.
type WebTier interface {
	constructs.IConstruct

	// LoadBalancer is the CloudFormation load balancer (construct ID "Resource").
	LoadBalancer() awselasticloadbalancing.CfnLoadBalancer
	// LoadBalancerDnsName is the load balancer's DNS name, which users browse to.
	LoadBalancerDnsName() *string
	// LoadBalancerCanonicalHostedZoneNameId is the Route 53 zone of that DNS name,
	// the HostedZoneId of an alias to it.
	LoadBalancerCanonicalHostedZoneNameId() *string
	// LoadBalancerSecurityGroup is the load balancer's security group, created or
	// given.
	LoadBalancerSecurityGroup() awsec2.ISecurityGroup
	// InstanceSecurityGroup is the security group of every instance.
	InstanceSecurityGroup() awsec2.ISecurityGroup
	// Instances registered with the load balancer, in order.
	Instances() []awsec2.Instance
	// InstanceRole is the IAM role every instance runs with; grant it what the
	// application needs.
	InstanceRole() awsiam.IRole
	// AccessLogBucket receives the access logs (created or given), or is nil
	// when access logs are off.
	AccessLogBucket() awss3.IBucket
	// Record is the A alias record, or nil without a HostedZone.
	Record() awsroute53.ARecord
	// Connections of the load balancer (its security group, default port the
	// first listener's), to allow clients in with AllowDefaultPortFrom.
	Connections() awsec2.Connections
}

type webTier struct {
	constructs.Construct

	lb          awselasticloadbalancing.CfnLoadBalancer
	lbSG        awsec2.ISecurityGroup
	instanceSG  awsec2.ISecurityGroup
	instances   []awsec2.Instance
	role        awsiam.IRole
	logBucket   awss3.IBucket
	record      awsroute53.ARecord
	connections awsec2.Connections
}

// NewWebTier builds the web tier. It checks every setting first and panics with
// a *ValidationError listing all invalid ones, before anything is created (as
// aws-cdk-lib constructs throw). A nil props fails only for the missing Vpc.
func NewWebTier(scope constructs.Construct, id *string, props *WebTierProps) WebTier {
	w := &webTier{}
	constructs.NewConstruct_Override(w, scope, id)
	if props == nil {
		props = &WebTierProps{}
	}
	s := resolveProps(props)
	if region := awscdk.Stack_Of(w).Region(); !*awscdk.Token_IsUnresolved(region) {
		s.region = *region
	}
	ps := s.validate()
	var lbSubnets, instanceSubnets *awsec2.SelectedSubnets
	if props.Vpc != nil {
		lbSubnets = props.Vpc.SelectSubnets(lbSubnetSelection(props))
		instanceSubnets = props.Vpc.SelectSubnets(instanceSubnetSelection(props))
		checkSubnets(&ps, "LoadBalancerSubnets", lbSubnets, true)
		checkSubnets(&ps, "InstanceSubnets", instanceSubnets, false)
	}
	if err := ps.err(*w.Node().Path()); err != nil {
		panic(err)
	}
	s.instancesPublic = *instanceSubnets.HasPublic
	if zones := distinctZones(lbSubnets); len(zones) < 2 {
		awscdk.Annotations_Of(w).AddWarningV2(jsii.String("@classic-webtier/classicelb:singleZone"),
			jsii.String(fmt.Sprintf("the load balancer spans %d Availability Zone(s): no zone redundancy, and cross-zone load balancing has no effect; select subnets in at least two zones", len(zones))), nil)
	}

	w.createSecurityGroups(props, s)
	if err := w.checkGivenSecurityGroup(props, s); err != nil {
		panic(err)
	}
	w.createInstances(props, s, instanceSubnets)
	w.createLoadBalancer(props, s, lbSubnets)
	if props.HostedZone != nil {
		w.createRecord(props, s)
	}
	if props.Tags != nil {
		names := make([]string, 0, len(*props.Tags))
		for k := range *props.Tags {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			awscdk.Tags_Of(w).Add(jsii.String(k), (*props.Tags)[k], nil)
		}
	}
	return w
}

// ValidateProps checks props without building anything and returns a
// *ValidationError listing every invalid setting, or nil. Checks that need the
// stack or the VPC (one subnet per Availability Zone, a certificate in the
// stack's region, a mutable imported security group) run only in NewWebTier.
func ValidateProps(props *WebTierProps) error {
	return resolveProps(props).validate().err("")
}

func (w *webTier) LoadBalancer() awselasticloadbalancing.CfnLoadBalancer { return w.lb }
func (w *webTier) LoadBalancerDnsName() *string                          { return w.lb.AttrDnsName() }
func (w *webTier) LoadBalancerCanonicalHostedZoneNameId() *string {
	return w.lb.AttrCanonicalHostedZoneNameId()
}
func (w *webTier) LoadBalancerSecurityGroup() awsec2.ISecurityGroup { return w.lbSG }
func (w *webTier) InstanceSecurityGroup() awsec2.ISecurityGroup     { return w.instanceSG }
func (w *webTier) Instances() []awsec2.Instance {
	return append([]awsec2.Instance(nil), w.instances...)
}
func (w *webTier) AccessLogBucket() awss3.IBucket  { return w.logBucket }
func (w *webTier) InstanceRole() awsiam.IRole      { return w.role }
func (w *webTier) Record() awsroute53.ARecord      { return w.record }
func (w *webTier) Connections() awsec2.Connections { return w.connections }

// lbSubnetSelection is the console's: one subnet per zone, public ones for an
// internet-facing load balancer.
func lbSubnetSelection(p *WebTierProps) *awsec2.SubnetSelection {
	if p.LoadBalancerSubnets != nil {
		return p.LoadBalancerSubnets
	}
	if boolOr(p.Internal, false) {
		return &awsec2.SubnetSelection{OnePerAz: jsii.Bool(true)}
	}
	return &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PUBLIC, OnePerAz: jsii.Bool(true)}
}

func instanceSubnetSelection(p *WebTierProps) *awsec2.SubnetSelection {
	if p.InstanceSubnets != nil {
		return p.InstanceSubnets
	}
	return &awsec2.SubnetSelection{OnePerAz: jsii.Bool(true)}
}

// checkSubnets reports an empty selection, and for the load balancer more than
// one subnet in a zone (ELB rejects that at deploy time).
func checkSubnets(ps *problems, setting string, sel *awsec2.SelectedSubnets, onePerZone bool) {
	subnets := *sel.Subnets
	if len(subnets) == 0 {
		ps.add(setting, "selects no subnet of the VPC; select at least one subnet (the VPC has none of the requested type)")
		return
	}
	if !onePerZone {
		return
	}
	byZone := map[string]string{}
	for _, sn := range subnets {
		az, id := *sn.AvailabilityZone(), subnetName(sn)
		if other, dup := byZone[az]; dup {
			zone := "one Availability Zone"
			if !*awscdk.Token_IsUnresolved(sn.AvailabilityZone()) {
				zone = az
			}
			ps.add(setting, "selects subnets %s and %s, both in %s; a load balancer takes at most one subnet per Availability Zone (set OnePerAz: true or pick one per zone)", other, id, zone)
			continue
		}
		byZone[az] = id
	}
}

func distinctZones(sel *awsec2.SelectedSubnets) map[string]bool {
	zones := map[string]bool{}
	for _, sn := range *sel.Subnets {
		zones[*sn.AvailabilityZone()] = true
	}
	return zones
}
