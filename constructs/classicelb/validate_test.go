package classicelb

import (
	"errors"
	"strings"
	"testing"
)

// validSpec is what resolveProps makes of the console's defaults; the table
// below changes one thing at a time. Building it by hand keeps these tests
// free of jsii.
func validSpec() *spec {
	return &spec{
		hasVpc: true,
		lbSubnetFacts: []subnetSpec{
			{name: named("subnet-a"), zone: "ap-northeast-2a", zoneKnown: true},
			{name: named("subnet-c"), zone: "ap-northeast-2c", zoneKnown: true},
		},
		hasInstanceSubnets: true,
		listeners: []listenerSpec{{
			hasExternalPort: true, externalPort: 80, externalProtocol: "HTTP", internalPort: 80, internalProtocol: "HTTP",
		}},
		healthCheck: healthCheckSpec{
			protocol: "HTTP", port: 80, path: DefaultHealthCheckPath,
			timeout: 5, interval: 30, unhealthyThreshold: 2, healthyThreshold: 10,
		},
		crossZone: true, draining: true, drainingTimeout: 300, idleTimeout: 60,
		accessLog:    accessLogSpec{enabled: true, intervalMinutes: 60, expirationDays: 90},
		instances:    instancesSpec{count: 2},
		allowedPeers: []peerSpec{{id: "0.0.0.0/0"}},
		defaultPeers: true,
		egress:       []egressSpec{{peer: peerSpec{id: "0.0.0.0/0"}, hasPeer: true, hasPort: true}},
		ruleQuota:    defaultSecurityGroupRules,
		unchecked:    map[string]bool{},
	}
}

// named is a subnet's name as subnetFacts reads it.
func named(name string) func() string { return func() string { return name } }

func TestValidSpecHasNoProblem(t *testing.T) {
	if ps := validSpec().validate(); len(ps) != 0 {
		t.Fatalf("defaults rejected: %v", ps.err(""))
	}
}

func TestValidateRejects(t *testing.T) {
	https := func(s *spec) {
		s.listeners[0] = listenerSpec{hasExternalPort: true, externalPort: 443, externalProtocol: "HTTPS", internalPort: 80, internalProtocol: "HTTP"}
	}
	cases := []struct {
		name    string
		change  func(*spec)
		setting string
		want    string
	}{
		{"no vpc", func(s *spec) { s.hasVpc = false }, "Vpc", "is required"},
		{"long name", func(s *spec) { s.name = strings.Repeat("a", 33) }, "LoadBalancerName", "is 33 characters long"},
		{"name underscore", func(s *spec) { s.name = "my_elb" }, "LoadBalancerName", "characters other than letters, digits and hyphens"},
		{"name hyphen end", func(s *spec) { s.name = "elb-" }, "LoadBalancerName", "starts or ends with a hyphen"},
		{"name internal-", func(s *spec) { s.name = "internal-elb" }, "LoadBalancerName", `starts with "internal-"`},
		{"no listener", func(s *spec) { s.listeners = nil }, "Listeners", "give at least one listener"},
		{"port 0", func(s *spec) { s.listeners[0].externalPort = 0 }, "Listeners[0].ExternalPort", "0 is out of range; allowed 1-65535"},
		{"port 65536", func(s *spec) { s.listeners[0].internalPort = 65536 }, "Listeners[0].InternalPort", "65536 is out of range"},
		{"port fraction", func(s *spec) { s.listeners[0].externalPort = 80.5 }, "Listeners[0].ExternalPort", "not a whole number"},
		{"duplicate port", func(s *spec) { s.listeners = append(s.listeners, s.listeners[0]) }, "Listeners[1].ExternalPort", "80 is already the port of listener 0"},
		{"bad protocol", func(s *spec) { s.listeners[0].externalProtocol = "UDP" }, "Listeners[0].ExternalProtocol", `"UDP" is not a classic load balancer protocol; allowed: HTTP, HTTPS, TCP, SSL`},
		{"http to tcp", func(s *spec) { s.listeners[0].internalProtocol = "TCP" }, "Listeners[0].InternalProtocol", "TCP cannot follow a HTTP front end; allowed: HTTP or HTTPS"},
		{"tcp to https", func(s *spec) {
			s.listeners[0] = listenerSpec{hasExternalPort: true, externalPort: 25, externalProtocol: "TCP", internalPort: 25, internalProtocol: "HTTPS"}
		}, "Listeners[0].InternalProtocol", "allowed: TCP or SSL"},
		{"https without cert", https, "Listeners[0].SslCertificateArn", "is required for an HTTPS listener"},
		{"http with cert", func(s *spec) { s.listeners[0].certificateArn = "arn:aws:acm:x" }, "Listeners[0].SslCertificateArn", "is set on a HTTP listener"},
		{"cert not arn", func(s *spec) { https(s); s.listeners[0].certificateArn = "my-cert" }, "Listeners[0].SslCertificateArn", `"my-cert" is not a certificate ARN; allowed: an ACM certificate ARN`},
		{"health protocol", func(s *spec) { s.healthCheck.protocol = "ICMP" }, "HealthCheck.Protocol", "allowed: HTTP, HTTPS, TCP, SSL"},
		{"health port", func(s *spec) { s.healthCheck.port = 70000 }, "HealthCheck.Port", "70000 is out of range"},
		{"health path no slash", func(s *spec) { s.healthCheck.path = "index.html" }, "HealthCheck.Path", `does not start with "/"`},
		{"health path on tcp", func(s *spec) { s.healthCheck.protocol = "TCP"; s.healthCheck.hasPath = true }, "HealthCheck.Path", "only opens a connection"},
		{"timeout 1", func(s *spec) { s.healthCheck.timeout = 1 }, "HealthCheck.Timeout", "1 seconds is out of range; allowed 2-60 seconds"},
		{"timeout 61", func(s *spec) { s.healthCheck.timeout = 61; s.healthCheck.interval = 120 }, "HealthCheck.Timeout", "allowed 2-60 seconds"},
		{"interval 3", func(s *spec) { s.healthCheck.interval = 3; s.healthCheck.timeout = 2 }, "HealthCheck.Interval", "3 seconds is out of range; allowed 5-300 seconds"},
		{"interval 301", func(s *spec) { s.healthCheck.interval = 301 }, "HealthCheck.Interval", "allowed 5-300 seconds"},
		{"timeout not below interval", func(s *spec) { s.healthCheck.timeout = 30 }, "HealthCheck.Timeout", "30 seconds is not shorter than HealthCheck.Interval (30 seconds)"},
		{"unhealthy 1", func(s *spec) { s.healthCheck.unhealthyThreshold = 1 }, "HealthCheck.UnhealthyThreshold", "allowed 2-10 checks"},
		{"healthy 11", func(s *spec) { s.healthCheck.healthyThreshold = 11 }, "HealthCheck.HealthyThreshold", "11 checks is out of range"},
		{"draining 0", func(s *spec) { s.drainingTimeout = 0 }, "ConnectionDrainingTimeout", "allowed 1-3600 seconds"},
		{"draining 3601", func(s *spec) { s.drainingTimeout = 3601 }, "ConnectionDrainingTimeout", "3601 seconds is out of range"},
		{"idle 0", func(s *spec) { s.idleTimeout = 0 }, "IdleTimeout", "allowed 1-3600 seconds"},
		{"idle 4000", func(s *spec) { s.idleTimeout = 4000 }, "IdleTimeout", "4000 seconds is out of range"},
		{"log interval", func(s *spec) { s.accessLog.intervalMinutes = 15 }, "AccessLogging.EmitInterval", "allowed: 5 or 60 minutes"},
		{"log expiry with bucket", func(s *spec) { s.accessLog.hasBucket, s.accessLog.hasExpiration = true, true }, "AccessLogging.Expiration", "is set together with Bucket"},
		{"log expiry fraction", func(s *spec) { s.accessLog.hasExpiration, s.accessLog.expirationDays = true, 0.5 }, "AccessLogging.Expiration", "0.5 days is not allowed"},
		{"log prefix", func(s *spec) { s.accessLog.prefix = "/logs" }, "AccessLogging.Prefix", `starts or ends with "/"`},
		{"ssl policy on http", func(s *spec) { s.listeners[0].hasSslPolicy, s.listeners[0].sslPolicy = true, DefaultSslPolicy }, "Listeners[0].SslPolicy", "is set on a HTTP listener, which does not negotiate TLS"},
		{"ssl policy name", func(s *spec) {
			https(s)
			s.listeners[0].certificateArn, s.listeners[0].hasSslPolicy, s.listeners[0].sslPolicy = "arn:aws:acm:ap-northeast-2:123456789012:certificate/c", true, "TLS12"
		}, "Listeners[0].SslPolicy", `"TLS12" is not a predefined security policy`},
		{"ssl policy twice", func(s *spec) {
			https(s)
			s.listeners[0].certificateArn, s.listeners[0].hasSslPolicy, s.listeners[0].sslPolicy = "arn:aws:acm:ap-northeast-2:123456789012:certificate/c", true, DefaultSslPolicy
			s.otherPolicies, s.negotiationPolicies = []string{"mine"}, map[string]bool{"mine": true}
			s.listeners[0].policyNames = []string{"mine"}
		}, "Listeners[0].SslPolicy", "already names an SSL negotiation policy"},
		{"instances 0", func(s *spec) { s.instances.count = 0 }, "InstanceCount", "0 is not allowed; use a whole number from 1 to 250"},
		{"instances 1.5", func(s *spec) { s.instances.count = 1.5 }, "InstanceCount", "1.5 is not allowed"},
		{"instances 251", func(s *spec) { s.instances.count = 251 }, "InstanceCount", "251 is not allowed; use a whole number from 1 to 250 (one CloudFormation stack holds at most 500 resources"},
		{"instances 1e308", func(s *spec) { s.instances.count = 1e308 }, "InstanceCount", "1e+308 is not allowed; use a whole number from 1 to 250"},
		{"101 listeners", func(s *spec) {
			for p := 1; len(s.listeners) < 101; p++ {
				s.listeners = append(s.listeners, listenerSpec{hasExternalPort: true, externalPort: float64(1000 + p), externalProtocol: "TCP", internalPort: 80, internalProtocol: "TCP"})
			}
		}, "Listeners", "has 101 listeners; a classic load balancer takes at most 100"},
		{"listener ports x peers", func(s *spec) {
			for p := 1; len(s.listeners) < 31; p++ {
				s.listeners = append(s.listeners, listenerSpec{hasExternalPort: true, externalPort: float64(1000 + p), externalProtocol: "TCP", internalPort: 80, internalProtocol: "TCP"})
			}
			s.allowedPeers, s.defaultPeers = []peerSpec{{id: "192.0.2.0/24"}, {id: "198.51.100.0/24"}}, false
		}, "AllowedPeers", "31 listener ports x 2 IPv4 peers make 62 inbound IPv4 rules on the load balancer's security group; a security group takes 60"},
		{"raised quota is still a quota", func(s *spec) {
			s.ruleQuota = 1
			s.sshPeers = []peerSpec{{id: "203.0.113.0/24"}}
		}, "SshPeers", "1 SSH peers (1 IPv4, 0 IPv6) beside 1 rules for the instance ports make more inbound rules than the instances' security group takes: 1 of each IP family"},
		{"world-open instance ports over the quota", func(s *spec) {
			s.ruleQuota, s.openInstancePorts = 1, true
		}, "OpenInstancePortsToWorld", "doubles the instances' 1 inbound rules to 2"},
		{"quota 0", func(s *spec) { s.ruleQuota = 0 }, "SecurityGroupRulesQuota", "0 rules is out of range; allowed 1-1000 rules"},
		{"egress without port", func(s *spec) { s.egress[0].hasPort = false }, "InstanceEgress[0].Port", "is required"},
		{"egress index past a nil entry", func(s *spec) {
			s.nilEntries = []string{"InstanceEgress[0]"}
			s.egress = []egressSpec{{index: 1, hasPort: true}}
		}, "InstanceEgress[1].Peer", "is required"},
		{"too many egress rules", func(s *spec) {
			for len(s.egress) < 61 {
				s.egress = append(s.egress, egressSpec{peer: peerSpec{id: "10.0.0.0/8"}, hasPeer: true, hasPort: true})
			}
		}, "InstanceEgress", "has 61 IPv4 and 0 IPv6 rules"},
		{"health check target too long", func(s *spec) { s.healthCheck.path = "/" + strings.Repeat("a", 1017) }, "HealthCheck.Path", "makes the health check target HTTP:80<path> 1025 characters long; ELB takes at most 1024, so the path may have at most 1017"},
		{"certificate of another region", func(s *spec) {
			https(s)
			s.region, s.listeners[0].certificateArn = "ap-northeast-2", "arn:aws:acm:us-east-1:123456789012:certificate/abc"
		}, "Listeners[0].SslCertificateArn", "is an ACM certificate of us-east-1, but the stack deploys to ap-northeast-2"},
		{"kms log bucket", func(s *spec) {
			s.accessLog.hasBucket, s.accessLog.bucketKMS, s.accessLog.bucketName = true, true, "logs"
		}, "AccessLogging.Bucket", "logs is encrypted with a KMS key; a classic load balancer writes access logs only to buckets with SSE-S3"},
		{"imported log bucket", func(s *spec) {
			s.accessLog.hasBucket, s.accessLog.bucketImported, s.accessLog.bucketName = true, true, "logs"
		}, "AccessLogging.Bucket", "logs is imported, so this stack cannot add the statement"},
		{"delivery granted on an own bucket", func(s *spec) { s.accessLog.hasBucket, s.accessLog.deliveryGranted = true, true }, "AccessLogging.DeliveryGrantedByBucketPolicy", "is set, but the log bucket is defined in this app"},
		{"zone without name", func(s *spec) {
			s.hasZone, s.zoneNameProblem = true, "has no zone name (imported with HostedZone_FromHostedZoneId?)"
		}, "HostedZone", "has no zone name"},
		{"policy name empty", func(s *spec) { s.lbCookies = []lbCookieSpec{{}} }, "LbCookieStickinessPolicies[0].PolicyName", "is empty"},
		{"policy name duplicate", func(s *spec) {
			s.lbCookies = []lbCookieSpec{{name: "sticky"}}
			s.appCookies = []appCookieSpec{{name: "sticky", cookieName: "SESSION"}}
		}, "AppCookieStickinessPolicies[0].PolicyName", `"sticky" is already the name of LbCookieStickinessPolicies[0]`},
		{"cookie name empty", func(s *spec) { s.appCookies = []appCookieSpec{{name: "app"}} }, "AppCookieStickinessPolicies[0].CookieName", "is empty"},
		{"cookie expiry 0", func(s *spec) { s.lbCookies = []lbCookieSpec{{name: "lb", hasExpiration: true}} }, "LbCookieStickinessPolicies[0].CookieExpirationPeriod", "at least 1"},
		{"policy named like the generated one", func(s *spec) {
			https(s)
			s.listeners[0].certificateArn, s.listeners[0].sslPolicy = "arn:aws:acm:ap-northeast-2:123456789012:certificate/c", DefaultSslPolicy
			s.otherPolicies = []string{"SSLNegotiation-" + DefaultSslPolicy}
		}, "Policies[0].PolicyName", `"SSLNegotiation-ELBSecurityPolicy-TLS-1-2-2017-01" is already the name of the policy generated for Listeners[0].SslPolicy`},
		{"missing port", func(s *spec) { s.listeners[0].hasExternalPort = false }, "Listeners[0].ExternalPort", "is required; give the load balancer port"},
		{"nil peer", func(s *spec) { s.nilEntries = []string{"SshPeers[1]"} }, "SshPeers[1]", "is nil; remove the entry"},
		{"undefined policy", func(s *spec) { s.listeners[0].policyNames = []string{"nope"} }, "Listeners[0].PolicyNames[0]", `"nope" is not a defined policy`},
		{"record without zone", func(s *spec) { s.hasRecordName = true; s.recordName = "www" }, "RecordName", "set without HostedZone"},
		{"record outside zone", func(s *spec) {
			s.hasZone, s.zoneName, s.hasRecordName, s.recordName = true, "example.com", true, "www.example.org."
		}, "RecordName", `is not inside the hosted zone "example.com"`},
		{"record with dots outside zone", func(s *spec) {
			s.hasZone, s.zoneName, s.hasRecordName, s.recordName = true, "example.org", true, "www.example.net"
		}, "RecordName", `"www.example.net" is not inside the hosted zone "example.org": a name with dots must end in the zone's name; give the full name (www.example.org) or one label relative to the zone (www)`},
		{"record relative with dots", func(s *spec) {
			s.hasZone, s.zoneName, s.hasRecordName, s.recordName = true, "example.com", true, "app.eu"
		}, "RecordName", "is not inside the hosted zone"},
		{"record bad name", func(s *spec) {
			s.hasZone, s.zoneName, s.hasRecordName, s.recordName = true, "example.com", true, "a..b"
		}, "RecordName", "is not a valid DNS name"},
	}
	ssh := func(s *spec) { s.sshPeers = []peerSpec{{id: "203.0.113.0/24"}} }
	onPort := func(port float64) func(*spec) {
		return func(s *spec) {
			s.listeners[0].internalPort, s.healthCheck.port, s.healthCheck.portDerived = port, port, true
		}
	}
	tls := func(s *spec) {
		s.listeners = append(s.listeners, listenerSpec{hasExternalPort: true, externalPort: 443, externalProtocol: "HTTPS", internalPort: 80, internalProtocol: "HTTP", certificateArn: "arn:aws:acm:ap-northeast-2:123456789012:certificate/abc", sslPolicy: DefaultSslPolicy})
	}
	both := func(fs ...func(*spec)) func(*spec) {
		return func(s *spec) {
			for _, f := range fs {
				f(s)
			}
		}
	}
	cases = append(cases, []struct {
		name    string
		change  func(*spec)
		setting string
		want    string
	}{
		{"instance port of SSH", both(ssh, onPort(22)), "Listeners[0].InternalPort", "is 22, the SSH port SshPeers opens on the instances"},
		{"instance port sshd holds", both(func(s *spec) { s.instances.defaultUserData = true }, onPort(22)), "Listeners[0].InternalPort", "is 22, which sshd holds on Amazon Linux 2023"},
		{"instance port the resolver holds", both(func(s *spec) { s.instances.defaultUserData = true }, onPort(53)), "Listeners[0].InternalPort", "is 53, which systemd-resolved"},
		{"instance port that follows the front end", both(ssh, onPort(22), func(s *spec) { s.listeners[0].internalPortDerived = true }), "Listeners[0].ExternalPort", "makes the instance port 22"},
		{"health check of sshd", both(func(s *spec) {
			s.instances.defaultUserData = true
			s.healthCheck.protocol, s.healthCheck.path, s.healthCheck.port = "TCP", "", 22
		}), "HealthCheck.Port", "is 22, which sshd holds"},
		{"generated TLS policy named on a plain listener", both(tls, func(s *spec) { s.listeners[0].policyNames = []string{negotiationPolicyName(DefaultSslPolicy)} }),
			"Listeners[0].PolicyNames[0]", `"SSLNegotiation-ELBSecurityPolicy-TLS-1-2-2017-01" is the policy generated for Listeners[1].SslPolicy, which the WebTier adds to the listeners that use it`},
		{"generated TLS policy named again on its listener", both(tls, func(s *spec) { s.listeners[1].policyNames = []string{negotiationPolicyName(DefaultSslPolicy)} }),
			"Listeners[1].PolicyNames[0]", "give this listener SslPolicy instead of naming the policy"},
		{"own TLS policy on a plain listener", func(s *spec) {
			s.otherPolicies, s.negotiationPolicies, s.listeners[0].policyNames = []string{"MyTls"}, map[string]bool{"MyTls": true}, []string{"MyTls"}
		}, "Listeners[0].PolicyNames[0]", `"MyTls" is an SSL negotiation policy, which a HTTP listener does not negotiate`},
	}...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validSpec()
			c.change(s)
			wantProblem(t, s, c.setting, c.want)
		})
	}
}

// wantProblem fails unless validating s reports a problem of setting whose
// message contains want.
func wantProblem(t *testing.T, s *spec, setting, want string) {
	t.Helper()
	ps := s.validate()
	for _, p := range ps {
		if p.Setting == setting && strings.Contains(p.Message, want) {
			return
		}
	}
	t.Errorf("want %s: ...%s..., got %v", setting, want, ps.err(""))
}

func TestValidateAcceptsBoundaries(t *testing.T) {
	cases := map[string]func(*spec){
		"ports 1 and 65535":    func(s *spec) { s.listeners[0].externalPort, s.listeners[0].internalPort = 1, 65535 },
		"timeout 2 interval 5": func(s *spec) { s.healthCheck.timeout, s.healthCheck.interval = 2, 5 },
		"timeout 60 interval 300": func(s *spec) {
			s.healthCheck.timeout, s.healthCheck.interval = 60, 300
		},
		"thresholds 2 and 10":  func(s *spec) { s.healthCheck.unhealthyThreshold, s.healthCheck.healthyThreshold = 10, 2 },
		"draining 1 idle 3600": func(s *spec) { s.drainingTimeout, s.idleTimeout = 1, 3600 },
		"draining 3600 idle 1": func(s *spec) { s.drainingTimeout, s.idleTimeout = 3600, 1 },
		"log interval 5": func(s *spec) {
			s.accessLog = accessLogSpec{enabled: true, hasBucket: true, intervalMinutes: 5, prefix: "elb/web"}
		},
		"logs off":         func(s *spec) { s.accessLog = accessLogSpec{intervalMinutes: 7, hasExpiration: true, hasBucket: true} },
		"log expiry 1 day": func(s *spec) { s.accessLog.hasExpiration, s.accessLog.expirationDays = true, 1 },
		"name of 32":       func(s *spec) { s.name = strings.Repeat("a", 31) + "1" },
		"one instance":     func(s *spec) { s.instances.count = 1 },
		"tcp health check": func(s *spec) { s.healthCheck.protocol, s.healthCheck.path = "TCP", "" },
		"ssl to tcp": func(s *spec) {
			s.listeners[0] = listenerSpec{hasExternalPort: true, externalPort: 443, externalProtocol: "SSL", internalPort: 443, internalProtocol: "TCP", certificateArn: "arn:aws:iam::123456789012:server-certificate/c"}
		},
		"https to https": func(s *spec) {
			s.listeners[0] = listenerSpec{hasExternalPort: true, externalPort: 443, externalProtocol: "HTTPS", internalPort: 443, internalProtocol: "HTTPS", certificateArn: "arn:aws:acm:ap-northeast-2:123456789012:certificate/c"}
		},
		"defined policy": func(s *spec) {
			s.lbCookies = []lbCookieSpec{{name: "sticky", hasExpiration: true, expiration: 1}}
			s.listeners[0].policyNames = []string{"sticky"}
		},
		"record in zone": func(s *spec) {
			s.hasZone, s.zoneName, s.hasRecordName, s.recordName = true, "example.com.", true, "www.example.com."
		},
		"relative record": func(s *spec) {
			s.hasZone, s.zoneName, s.hasRecordName, s.recordName = true, "example.com", true, "app"
		},
		"record in zone of other case": func(s *spec) {
			s.hasZone, s.zoneName, s.hasRecordName, s.recordName = true, "Example.ORG", true, "WWW.EXAMPLE.ORG"
		},
		"250 instances": func(s *spec) { s.instances.count = 250 },
		"100 listeners": func(s *spec) {
			for p := 1; len(s.listeners) < 100; p++ {
				s.listeners = append(s.listeners, listenerSpec{hasExternalPort: true, externalPort: float64(1000 + p), externalProtocol: "TCP", internalPort: 80, internalProtocol: "TCP"})
			}
			s.ruleQuota = 200
		},
		"certificate of the stack's region": func(s *spec) {
			s.listeners[0] = listenerSpec{hasExternalPort: true, externalPort: 443, externalProtocol: "HTTPS", internalPort: 80, internalProtocol: "HTTP",
				certificateArn: "arn:aws:acm:ap-northeast-2:123456789012:certificate/c"}
			s.region = "ap-northeast-2"
		},
		"iam certificate in any region": func(s *spec) {
			s.listeners[0] = listenerSpec{hasExternalPort: true, externalPort: 443, externalProtocol: "HTTPS", internalPort: 80, internalProtocol: "HTTP",
				certificateArn: "arn:aws:iam::123456789012:server-certificate/web"}
			s.region = "eu-west-1"
		},
		"imported bucket granted by its owner": func(s *spec) {
			s.accessLog.hasBucket, s.accessLog.bucketImported, s.accessLog.deliveryGranted = true, true, true
		},
		"token port":     func(s *spec) { s.listeners[0].externalPort = -1e289; s.unchecked["Listeners[0].ExternalPort"] = true },
		"token interval": func(s *spec) { s.healthCheck.interval = -1e289; s.unchecked["HealthCheck.Interval"] = true },
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			s := validSpec()
			change(s)
			if err := s.validate().err(""); err != nil {
				t.Errorf("rejected: %v", err)
			}
		})
	}
}

// TestRecordFullName: the name handed to aws-cdk-lib is the full one, so a
// name that ends in the zone with other letter case is not doubled.
func TestRecordFullName(t *testing.T) {
	for _, c := range []struct{ zone, record, want string }{
		{"example.org", "www", "www.example.org."},
		{"Example.ORG", "WWW.EXAMPLE.ORG", "www.example.org."},
		{"example.org.", "www.example.org.", "www.example.org."},
		{"example.org", "example.org", "example.org."},
		{"example.org", "*", "*.example.org."},
		{"example.org", "a.b.example.org", "a.b.example.org."},
	} {
		s := &spec{zoneName: c.zone, recordName: c.record}
		if got, ok := s.recordFullName(); !ok || got != c.want {
			t.Errorf("%s in %s: %q, %v; want %q", c.record, c.zone, got, ok, c.want)
		}
	}
}

// TestInstancePortsOverTheQuotaAreBlamedOnce: more instance ports than a
// group takes are the listeners' problem, not SSH's (none is set).
func TestInstancePortsOverTheQuotaAreBlamedOnce(t *testing.T) {
	s := validSpec()
	for p := 1; len(s.listeners) < 61; p++ {
		s.listeners = append(s.listeners, listenerSpec{hasExternalPort: true, externalPort: float64(1000 + p), externalProtocol: "TCP", internalPort: float64(1000 + p), internalProtocol: "TCP"})
	}
	s.ruleQuota = 100
	for _, p := range s.validate() {
		if p.Setting != "Listeners" {
			t.Errorf("blames %s: %s", p.Setting, p.Message)
		}
	}
	s.ruleQuota = 60
	ps := s.validate()
	if len(ps) != 2 || ps[0].Setting != "Listeners" || ps[1].Setting != "Listeners" {
		t.Errorf("want the listener ports and the instance ports blamed, once each: %v", ps.err(""))
	}
}

// TestABadPortIsBlamedOnce: an instance port and a health check port that
// follow a bad front-end port are not reported again.
func TestABadPortIsBlamedOnce(t *testing.T) {
	s := validSpec()
	s.listeners[0].externalPort, s.listeners[0].internalPort, s.listeners[0].internalPortDerived = 70000, 70000, true
	s.healthCheck.port, s.healthCheck.portDerived = 70000, true
	ps := s.validate()
	if len(ps) != 1 || ps[0].Setting != "Listeners[0].ExternalPort" {
		t.Errorf("want one problem on Listeners[0].ExternalPort, got %v", ps.err(""))
	}
	// A port given on its own is checked on its own.
	s.healthCheck.portDerived = false
	if ps := s.validate(); len(ps) != 2 || ps[1].Setting != "HealthCheck.Port" {
		t.Errorf("want the given health check port reported too, got %v", ps.err(""))
	}
}

func TestValidationErrorListsEveryProblem(t *testing.T) {
	s := validSpec()
	s.healthCheck.interval = 3
	s.idleTimeout = 0
	s.listeners[0].externalProtocol = "HTTPS"
	err := s.validate().err("Stack/WebTier")
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("not a *ValidationError: %v", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"Stack/WebTier: 3 invalid settings:",
		"HealthCheck.Interval: 3 seconds is out of range; allowed 5-300 seconds",
		"IdleTimeout: 0 seconds is out of range",
		"Listeners[0].SslCertificateArn: is required for an HTTPS listener",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	var p Problem
	if !errors.As(err, &p) {
		t.Error("errors.As cannot reach a Problem through Unwrap")
	}
}

// TestOwnUserDataMayServeAnyPort: without SshPeers, a user data of the
// user's own may serve port 22 or 53 (the default one cannot).
func TestOwnUserDataMayServeAnyPort(t *testing.T) {
	for _, port := range []float64{22, 53} {
		s := validSpec()
		s.listeners[0].internalPort, s.healthCheck.port = port, port
		if ps := s.validate(); len(ps) != 0 {
			t.Errorf("port %v: %v", port, ps.err(""))
		}
	}
}

// TestUnservedZonesAreTheInstancesOwn: fixed instances take the first
// InstanceCount subnets, round-robin; only their zones are named.
func TestUnservedZonesAreTheInstancesOwn(t *testing.T) {
	s := validSpec()
	s.instanceSubnetFacts = []subnetSpec{
		{zone: "ap-northeast-2a", zoneKnown: true}, {zone: "ap-northeast-2c", zoneKnown: true},
		{zone: "ap-northeast-2b", zoneKnown: true}, {zone: "ap-northeast-2d", zoneKnown: true},
	}
	for count, want := range map[float64]string{2: "", 3: "ap-northeast-2b", 4: "ap-northeast-2b ap-northeast-2d"} {
		s.instances.count = count
		if got := strings.Join(s.unservedZones(), " "); got != want {
			t.Errorf("%v instances: unserved zones %q, want %q", count, got, want)
		}
	}
}
