package webtierapp

import "github.com/classic-webtier/cdk-classic-webtier/internal/clb"

// Key is one setting the app reads from context.
type Key struct {
	// Name is the context key.
	Name string
	// Doc says what the key sets, with its default.
	Doc string
	// parse reads the raw context value into the settings.
	parse func(raw interface{}, s *Settings) error
}

// Keys lists every setting, in the order of the console's pages. The README's
// settings table follows it.
var Keys = []Key{
	{"region", "AWS region. Default: AWS_REGION, else AWS_DEFAULT_REGION, else ap-northeast-2 (Seoul)", func(v interface{}, s *Settings) (err error) {
		s.Region, err = asRegion(v)
		s.regionFrom = "region"
		return
	}},
	{"stackName", "CloudFormation stack name, so that several copies fit one account and region; with regions, each stack is named stackName-REGION. Default: ClassicWebTier", func(v interface{}, s *Settings) (err error) { s.StackName, err = asStackName(v); return }},
	{"regions", "Deploy one stack per region, comma-separated (such as ap-northeast-2,ap-northeast-1), each adding its own record of recordName to the hosted zone of domainName, which it needs; vpcId, amiId, s3PrefixListId and an ACM certificateArn then take region=value lists, and the load balancers get generated names unless loadBalancerName is given. Default: one stack in region", func(v interface{}, s *Settings) (err error) { s.Regions, err = asRegions(v); return }},
	{"routing", "How Route 53 picks among regions: latency (the closest healthy region), failover (the first region while healthy, else the second) or weighted (shares given by weights). Default: latency", func(v interface{}, s *Settings) (err error) { s.Routing, err = asRouting(v); return }},
	{"weights", "Each region's share with routing=weighted, 0-255: region=weight pairs, or one weight per region in the order of regions (such as 90,10)", nil},
	{"siteHealthCheck", "Route 53 health check of the first region's site through its load balancer, which failover follows beside the instances' health (routing=failover; about 0.50 USD a month, more for HTTPS). Default: true with routing=failover, except for an internal load balancer", func(v interface{}, s *Settings) error { b, err := asBool(v); s.SiteHealthCheck = &b; return err }},
	{"vpcId", "Existing VPC to look up (needs credentials). Default: a new 2-AZ VPC without NAT gateway", func(v interface{}, s *Settings) (err error) { s.VpcID, err = asVpcID(v); return }},
	{"useDefaultVpc", "Look up the account's default VPC, as the console does (needs credentials). Default: false", func(v interface{}, s *Settings) (err error) { s.UseDefaultVpc, err = asBool(v); return }},
	{"loadBalancerName", "Load balancer name (renaming replaces the load balancer). Default: exampleelb; with stackName or regions, a name CloudFormation generates", func(v interface{}, s *Settings) (err error) { s.LoadBalancerName, err = asLoadBalancerName(v); return }},
	{"internal", "Internal scheme instead of internet-facing. Default: false", func(v interface{}, s *Settings) (err error) { s.Internal, err = asBool(v); return }},
	{"subnetIds", "Load balancer subnets, comma-separated or a JSON list, one per AZ (needs vpcId or useDefaultVpc). Default: one public subnet per AZ", func(v interface{}, s *Settings) (err error) { s.SubnetIDs, err = asSubnetIDs(v); return }},
	{"listenerProtocol", "First listener's protocol: " + clb.List() + ". Default: HTTP", nil},
	{"listenerPort", "First listener's load balancer port, " + clb.Port.String() + ". Default: 80 (443 for HTTPS/SSL)", nil},
	{"instanceProtocol", "First listener's instance protocol. Default: HTTP behind HTTP/HTTPS, TCP behind TCP/SSL", nil},
	{"instancePort", "First listener's instance port, " + clb.Port.String() + ". Default: the listener port (80 behind HTTPS)", nil},
	{"certificateArn", "First listener's ACM/IAM certificate (HTTPS/SSL only). Default: none", nil},
	{"https", "HTTPS 443 beside HTTP 80, which the instances send to HTTPS: with an ACM certificate for the record's name (recordName in domainName), validated by DNS in the zone and renewed by ACM, or with certificateArn; instanceProtocol=HTTPS for TLS to the instances. Default: false", func(v interface{}, s *Settings) (err error) { s.HTTPS, err = asBool(v); return }},
	{"listeners", "Several listeners: a JSON list of {protocol, port, instanceProtocol, instancePort, certificateArn}. Default: HTTP 80 -> HTTP 80", nil},
	{"healthCheckProtocol", "Ping protocol. Default: the first listener's instance protocol (HTTP)", func(v interface{}, s *Settings) (err error) { s.HealthCheckProtocol, err = asProtocol(v); return }},
	{"healthCheckPort", "Ping port, " + clb.Port.String() + ". Default: the first listener's instance port (80)", func(v interface{}, s *Settings) (err error) { s.HealthCheckPort, err = asNumber(v); return }},
	{"healthCheckPath", "Ping path (HTTP/HTTPS). Default: /index.html", func(v interface{}, s *Settings) error { p, err := asString(v); s.HealthCheckPath = &p; return err }},
	{"healthCheckTimeout", "Response timeout, " + clb.HealthCheckTimeout.String() + ", shorter than the interval. Default: 5", func(v interface{}, s *Settings) (err error) {
		s.HealthCheckTimeout, err = asSeconds(v, clb.HealthCheckTimeout)
		return
	}},
	{"healthCheckInterval", "Health check interval, " + clb.HealthCheckInterval.String() + ". Default: 30", func(v interface{}, s *Settings) (err error) {
		s.HealthCheckInterval, err = asSeconds(v, clb.HealthCheckInterval)
		return
	}},
	{"unhealthyThreshold", "Unhealthy threshold, " + clb.Threshold.String() + ". Default: 2", func(v interface{}, s *Settings) (err error) { s.UnhealthyThreshold, err = asNumber(v); return }},
	{"healthyThreshold", "Healthy threshold, " + clb.Threshold.String() + ". Default: 10", func(v interface{}, s *Settings) (err error) { s.HealthyThreshold, err = asNumber(v); return }},
	{"crossZone", "Cross-zone load balancing. Default: true", func(v interface{}, s *Settings) error { b, err := asBool(v); s.CrossZone = &b; return err }},
	{"connectionDraining", "Connection draining. Default: true", func(v interface{}, s *Settings) error { b, err := asBool(v); s.ConnectionDraining = &b; return err }},
	{"connectionDrainingTimeout", "Draining timeout, " + clb.DrainingTimeout.String() + ". Default: 300", func(v interface{}, s *Settings) (err error) {
		s.ConnectionDrainingTimeout, err = asSeconds(v, clb.DrainingTimeout)
		return
	}},
	{"idleTimeout", "Idle timeout, " + clb.IdleTimeout.String() + ". Default: 60", func(v interface{}, s *Settings) (err error) {
		s.IdleTimeout, err = asSeconds(v, clb.IdleTimeout)
		return
	}},
	{"instanceCount", "Number of instances, " + clb.Instances.String() + ", spread one per AZ. Default: 2", func(v interface{}, s *Settings) (err error) { s.InstanceCount, err = asNumber(v); return }},
	{"autoScaling", "Run the instances as an Auto Scaling group behind the load balancer, instead of instanceCount fixed ones: it replaces instances that fail the health check, scales on CPU, and rolls image, type and user data changes out beside the running instances, rolling back when the alarms fire. Default: false", func(v interface{}, s *Settings) (err error) { s.AutoScaling, err = asBool(v); return }},
	{"minCapacity", "Fewest instances of the group (autoScaling), at least 1. Default: 2", func(v interface{}, s *Settings) (err error) { s.MinCapacity, err = asNumber(v); return }},
	{"maxCapacity", "Most instances of the group (autoScaling), at least minCapacity. Default: 4, or minCapacity when that is more", func(v interface{}, s *Settings) (err error) { s.MaxCapacity, err = asNumber(v); return }},
	{"desiredCapacity", "Instances of the group at creation (autoScaling), minCapacity to maxCapacity; once given, every deploy that changes the group resets it. Default: none (the group starts at minCapacity)", func(v interface{}, s *Settings) (err error) { s.DesiredCapacity, err = asNumber(v); return }},
	{"targetCpuUtilization", "Average CPU, " + clb.CpuUtilization.String() + ", that the group (autoScaling) adds and removes instances to stay at. Default: 50", func(v interface{}, s *Settings) (err error) { s.TargetCpuUtilization, err = asNumber(v); return }},
	{"instanceType", "Instance type; Graviton types (t4g, m7g ...) get the arm64 image. Default: t3.micro", func(v interface{}, s *Settings) (err error) { s.InstanceType, err = asInstanceType(v); return }},
	{"amiId", "Pin the instances' image (an AMI of the region, of instanceType's architecture). Default: the latest Amazon Linux 2023, read at every deploy", func(v interface{}, s *Settings) (err error) { s.AmiID, err = asAmiID(v); return }},
	{"keyName", "EC2 key pair for SSH; with regions, one name for every region or region=name pairs. Default: none", func(v interface{}, s *Settings) (err error) { s.KeyName, err = asKeyName(v); return }},
	{"sshCidr", "CIDR(s) allowed to SSH to the instances, comma-separated. Default: none (SSH closed)", func(v interface{}, s *Settings) (err error) { s.SSHCidrs, err = asCIDRs(v); return }},
	{"domainName", "Hosted zone domain for the alias record (looked up unless hostedZoneId is given). Default: no record", func(v interface{}, s *Settings) (err error) {
		s.DomainName, err = asNonEmpty(v, "the hosted zone's domain name, such as example.com")
		return
	}},
	{"hostedZoneId", "Hosted zone id of domainName, which skips the lookup. Default: looked up", func(v interface{}, s *Settings) (err error) { s.HostedZoneID, err = asZoneID(v); return }},
	{"recordName", "Alias record name inside the zone (full or relative). Default: the zone apex", func(v interface{}, s *Settings) (err error) {
		s.RecordName, err = asNonEmpty(v, "a name in the zone, such as www")
		return
	}},
	{"alarms", "CloudWatch alarms on the load balancer: unhealthy hosts, too few healthy hosts, ELB and back-end 5XX rates, p99 latency, surge queue, spillover (about 0.10 USD a month each beyond the free ten). Default: true", func(v interface{}, s *Settings) error { b, err := asBool(v); s.Alarms = &b; return err }},
	{"alarmEmail", "Email address told of every alarm and its recovery, through an SNS topic encrypted with a KMS key of the stack (about 1 USD a month); the address confirms first. Default: none (the alarms notify nobody)", func(v interface{}, s *Settings) (err error) {
		s.AlarmEmail, err = asNonEmpty(v, "an email address, such as ops@example.org")
		return
	}},
	{"dashboard", "CloudWatch dashboard of requests, latency, response codes, hosts, queue, CPU and the alarms (3 USD a month beyond three free ones). Default: true", func(v interface{}, s *Settings) error { b, err := asBool(v); s.Dashboard = &b; return err }},
	{"securityGroupRulesQuota", "Your account's quota of inbound (and outbound) rules per security group and IP family, " + clb.SecurityGroupRules.String() + ", which the rules the app adds must fit. Default: 60, the default quota", func(v interface{}, s *Settings) (err error) { s.SecurityGroupRulesQuota, err = asNumber(v); return }},
	{"natGateways", "NAT gateways in the app's own VPC, so instances reach the internet (about 43 USD a month each in Seoul, plus data). Default: 0", func(v interface{}, s *Settings) error { return setNumber(&s.NatGateways, v) }},
	{"interfaceEndpoints", "Session Manager endpoints (ssm, ssmmessages, ec2messages) in the app's own VPC (about 57 USD a month for two AZs in Seoul). Default: false", func(v interface{}, s *Settings) (err error) { s.InterfaceEndpoints, err = asBool(v); return }},
	{"s3PrefixListId", "The region's S3 prefix list (com.amazonaws.REGION.s3), so the instances' HTTPS egress in the app's VPC names S3 only. Default: HTTPS to any address", func(v interface{}, s *Settings) (err error) { s.S3PrefixListID, err = asPrefixListID(v); return }},
	{"nag", "Run cdk-nag's AwsSolutions checks at synth; findings fail the synth. Default: true", func(v interface{}, s *Settings) (err error) { s.Nag, err = asBool(v); return }},
}
