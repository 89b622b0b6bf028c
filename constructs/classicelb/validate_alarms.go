package classicelb

import (
	"regexp"
)

// emailAddress is what SNS's email protocol takes: one address, no name
// or angle brackets.
var emailAddress = regexp.MustCompile(`^[^@\s<>,;"]+@[^@\s<>,;"]+\.[^@\s<>,;".]+$`)

// validateAlarms checks where the alarms notify and the latency threshold.
func (s *spec) validateAlarms(ps *problems) {
	a := s.alarms
	switch {
	case a.hasEmail && a.topic != nil:
		ps.add("AlarmEmail", "is set together with AlarmTopic; give one of them (subscribe the address to your topic yourself)")
	case a.hasEmail && !s.isUnchecked("AlarmEmail") && !emailAddress.MatchString(a.email):
		ps.add("AlarmEmail", "%q is not an email address; give one address such as ops@example.org", a.email)
	}
	if !a.enabled && (a.hasEmail || a.topic != nil) {
		setting := "AlarmTopic"
		if a.hasEmail {
			setting = "AlarmEmail"
		}
		ps.add(setting, "is set, but Alarms is false, so nothing would notify it; drop it or turn Alarms on")
	}
	if !a.hasLatency || s.isUnchecked("LatencyThreshold") {
		return
	}
	switch {
	case !a.enabled:
		ps.add("LatencyThreshold", "is set, but Alarms is false; drop it or turn Alarms on")
	case a.latency <= 0:
		ps.add("LatencyThreshold", "%s seconds is not allowed; give a duration above 0, such as 1 second", num(a.latency))
	case !s.isUnchecked("IdleTimeout") && a.latency >= s.idleTimeout:
		ps.add("LatencyThreshold", "%s seconds is not below IdleTimeout (%s seconds): the load balancer gives up on a request before its latency gets there; lower it or raise IdleTimeout", num(a.latency), num(s.idleTimeout))
	}
}
