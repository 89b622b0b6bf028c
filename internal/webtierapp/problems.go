package webtierapp

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/classic-webtier/cdk-classic-webtier/constructs/classicelb"
)

// constructKeys maps the construct's settings to the context keys that set
// them, so that an app user reads the key they typed.
var constructKeys = map[string]string{
	"LoadBalancerName":                 "loadBalancerName",
	"LoadBalancerSubnets":              "subnetIds",
	"Listeners":                        "listeners",
	"HealthCheck.Protocol":             "healthCheckProtocol",
	"HealthCheck.Port":                 "healthCheckPort",
	"HealthCheck.Path":                 "healthCheckPath",
	"HealthCheck.Timeout":              "healthCheckTimeout",
	"HealthCheck.Interval":             "healthCheckInterval",
	"HealthCheck.UnhealthyThreshold":   "unhealthyThreshold",
	"HealthCheck.HealthyThreshold":     "healthyThreshold",
	"ConnectionDrainingTimeout":        "connectionDrainingTimeout",
	"IdleTimeout":                      "idleTimeout",
	"InstanceCount":                    "instanceCount",
	"AlarmEmail":                       "alarmEmail",
	"AutoScaling.MinCapacity":          "minCapacity",
	"AutoScaling.MaxCapacity":          "maxCapacity",
	"AutoScaling.DesiredCapacity":      "desiredCapacity",
	"AutoScaling.TargetCpuUtilization": "targetCpuUtilization",
	"RecordName":                       "recordName",
	"Routing.SiteHealthCheck":          "siteHealthCheck",
	"Routing.Weight":                   "weights",
	"Routing.Failover":                 "routing",
	"Routing.Policy":                   "routing",
	"Routing":                          "regions",
	"HostedZone":                       "domainName",
	"SshPeers":                         "sshCidr",
	"SecurityGroupRulesQuota":          "securityGroupRulesQuota",
}

// constructValues maps a construct setting with its value, as a message's
// fix names it ("or set Internal: true"), to what the app's user types.
var constructValues = map[string]string{
	"Internal: true": "internal=true",
}

// messageKeys rewrites the construct's dotted setting names in a message
// ("more than AutoScaling.MaxCapacity") as the context keys that set them,
// and the settings with values of constructValues.
var messageKeys = func() *strings.Replacer {
	var names []string
	for name := range constructKeys {
		if strings.Contains(name, ".") {
			names = append(names, name)
		}
	}
	// Longest first, so that no name replaces the start of a longer one.
	sort.Slice(names, func(i, j int) bool {
		return len(names[i]) > len(names[j]) || len(names[i]) == len(names[j]) && names[i] < names[j]
	})
	var pairs []string
	for _, name := range names {
		pairs = append(pairs, name, constructKeys[name])
	}
	var phrases []string
	for phrase := range constructValues {
		phrases = append(phrases, phrase)
	}
	sort.Strings(phrases)
	for _, phrase := range phrases {
		pairs = append(pairs, phrase, constructValues[phrase])
	}
	return strings.NewReplacer(pairs...)
}()

// listenerKeys maps a listener field to its name in the `listeners` JSON and
// to the first-row key.
var listenerKeys = map[string][2]string{
	"ExternalPort":      {"port", "listenerPort"},
	"ExternalProtocol":  {"protocol", "listenerProtocol"},
	"InternalPort":      {"instancePort", "instancePort"},
	"InternalProtocol":  {"instanceProtocol", "instanceProtocol"},
	"SslCertificateArn": {"certificateArn", "certificateArn"},
	"Certificate":       {"certificate", "https"},
}

var listenerSetting = regexp.MustCompile(`^Listeners\[(\d+)\]\.(\w+)`)

// keyOf names the context key behind a construct setting; settings the app
// cannot set keep their construct name.
func (s *Settings) keyOf(setting string) string {
	if key, ok := constructKeys[setting]; ok {
		return key
	}
	if m := listenerSetting.FindStringSubmatch(setting); m != nil {
		if names, ok := listenerKeys[m[2]]; ok {
			if s.listenersFromJSON {
				return fmt.Sprintf("listeners[%s].%s", m[1], names[0])
			}
			return names[1]
		}
	}
	return setting
}

// asSettingsError rewrites the construct's *ValidationError in terms of
// context keys; any other error is returned as it is.
func (s *Settings) asSettingsError(err error) error {
	var verr *classicelb.ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	recordBad := false
	for _, p := range verr.Problems {
		recordBad = recordBad || p.Setting == "RecordName"
	}
	var errs []error
	for _, p := range verr.Problems {
		// With https, a record outside the zone gets no certificate; the
		// record is the problem, not a missing certificateArn.
		if recordBad && s.HTTPS && p.Setting == "Listeners[0].SslCertificateArn" && s.Listeners[0].autoCertificate {
			continue
		}
		errs = append(errs, fmt.Errorf("%s: %s", s.keyOf(p.Setting), messageKeys.Replace(p.Message)))
	}
	return &SettingsError{Errs: errs}
}
