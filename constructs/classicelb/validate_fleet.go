package classicelb

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsautoscaling"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// validateFleet checks AutoScaling: whole capacities with
// 1 <= MinCapacity <= DesiredCapacity <= MaxCapacity, a CPU target in
// percent, a batch size the group can hold, steps that do not overlap,
// and no fixed-instance setting beside it.
func (s *spec) validateFleet(ps *problems) {
	f := s.fleet
	if f == nil {
		return
	}
	if f.instanceCountGiven {
		ps.add("InstanceCount", "is for fixed instances, and AutoScaling replaces them with a group; size the group with AutoScaling.MinCapacity and AutoScaling.MaxCapacity instead")
	}
	if f.replacementGiven {
		ps.add("UserDataCausesReplacement", "is for fixed instances; the AutoScaling group rolls a changed user data out with its launch template, so drop it")
	}
	// The refresh's warm-up and the grace period are computed at synth.
	for _, setting := range []string{"AutoScaling.MinCapacity", "AutoScaling.MaxCapacity", "HealthCheck.HealthyThreshold", "HealthCheck.Interval"} {
		if s.isUnchecked(setting) {
			ps.add(setting, "is a token; with AutoScaling the alarms, the instance refresh's warm-up and the health check grace period are computed from it at synth, so give a number")
		}
	}
	if zones := s.unservedZones(); len(zones) > 0 {
		lbZones, _ := zonesOf(s.lbSubnetFacts)
		ps.add("InstanceSubnets", "puts instances in %s, where the load balancer has no subnet (its zones: %s): it reports them OutOfService, and the group, which takes its health check, would replace them over and over; select instance subnets in the load balancer's zones, or give the load balancer a subnet there", strings.Join(zones, ", "), strings.Join(lbZones, ", "))
	}
	minOK := s.rangeCheck(ps, "AutoScaling.MinCapacity", f.minCapacity, clb.Capacity)
	maxOK := s.rangeCheck(ps, "AutoScaling.MaxCapacity", f.maxCapacity, clb.Capacity)
	desiredOK := !f.hasDesired || s.rangeCheck(ps, "AutoScaling.DesiredCapacity", f.desiredCapacity, clb.Capacity)
	known := func(settings ...string) bool {
		for _, setting := range settings {
			if s.isUnchecked(setting) {
				return false
			}
		}
		return true
	}
	sizesOK := minOK && maxOK && known("AutoScaling.MinCapacity", "AutoScaling.MaxCapacity")
	if sizesOK && f.minCapacity > f.maxCapacity {
		ps.add("AutoScaling.MinCapacity", "%s is more than AutoScaling.MaxCapacity (%s); lower AutoScaling.MinCapacity or raise AutoScaling.MaxCapacity so that the minimum is at most the maximum", num(f.minCapacity), num(f.maxCapacity))
	}
	if f.hasDesired && desiredOK && sizesOK && known("AutoScaling.DesiredCapacity") && f.minCapacity <= f.maxCapacity &&
		(f.desiredCapacity < f.minCapacity || f.desiredCapacity > f.maxCapacity) {
		ps.add("AutoScaling.DesiredCapacity", "%s is outside AutoScaling.MinCapacity to AutoScaling.MaxCapacity (%s to %s); give a number in that range, or leave it out to start at the minimum", num(f.desiredCapacity), num(f.minCapacity), num(f.maxCapacity))
	}
	s.rangeCheck(ps, "AutoScaling.TargetCpuUtilization", f.targetCpu, clb.CpuUtilization)
	// A group of one size has nothing to scale: Auto Scaling refuses a
	// target tracking policy on it, and steps would change nothing.
	if sizesOK && f.minCapacity == f.maxCapacity {
		if f.hasTargetCpu {
			ps.add("AutoScaling.TargetCpuUtilization", "is set, but AutoScaling.MinCapacity equals AutoScaling.MaxCapacity (%s): the group cannot grow or shrink; raise AutoScaling.MaxCapacity or drop it", num(f.minCapacity))
		}
		if f.hasRequestScaling {
			ps.add("AutoScaling.RequestCountScaling", "is set, but AutoScaling.MinCapacity equals AutoScaling.MaxCapacity (%s): the group cannot grow or shrink; raise AutoScaling.MaxCapacity or drop it", num(f.minCapacity))
		}
	}
	s.validateRefresh(ps, maxOK && known("AutoScaling.MaxCapacity"))
	if f.hasRequestScaling {
		s.validateSteps(ps)
	}
}

// validateRefresh checks the instance refresh's settings: percentages in
// their ranges and at most 100 apart, a bake time the update policy takes,
// and the deprecated MaxBatchSize only alone and within the group.
func (s *spec) validateRefresh(ps *problems, maxKnown bool) {
	f := s.fleet
	minOK := s.rangeCheck(ps, "AutoScaling.MinHealthyPercentage", f.minHealthy, clb.MinHealthyPercentage)
	maxOK := true
	if f.maxGiven {
		maxOK = s.rangeCheck(ps, "AutoScaling.MaxHealthyPercentage", f.maxHealthy, clb.MaxHealthyPercentage)
	}
	if minOK && maxOK && !s.isUnchecked("AutoScaling.MinHealthyPercentage") && !s.isUnchecked("AutoScaling.MaxHealthyPercentage") &&
		f.maxHealthy-f.minHealthy > clb.MaxHealthyPercentageSpread {
		ps.add("AutoScaling.MaxHealthyPercentage", "%s is more than %d above AutoScaling.MinHealthyPercentage (%s), which an instance refresh refuses; lower it to %s or raise AutoScaling.MinHealthyPercentage",
			num(f.maxHealthy), clb.MaxHealthyPercentageSpread, num(f.minHealthy), num(f.minHealthy+clb.MaxHealthyPercentageSpread))
	}
	s.rangeCheck(ps, "AutoScaling.BakeTime", f.bakeSeconds, clb.BakeTime)
	if !f.batchGiven {
		return
	}
	if f.maxGiven {
		ps.add("AutoScaling.MaxBatchSize", "is deprecated and AutoScaling.MaxHealthyPercentage is given too; drop MaxBatchSize (MaxHealthyPercentage says how many an update replaces at a time)")
	}
	if s.isUnchecked("AutoScaling.MaxBatchSize") {
		ps.add("AutoScaling.MaxBatchSize", "is a token; it is turned into AutoScaling.MaxHealthyPercentage at synth, so give a number, or give MaxHealthyPercentage instead")
		return
	}
	if s.rangeCheck(ps, "AutoScaling.MaxBatchSize", f.maxBatchSize, clb.Capacity) && maxKnown && f.maxBatchSize > f.maxCapacity {
		ps.add("AutoScaling.MaxBatchSize", "%s is more than AutoScaling.MaxCapacity (%s); an update replaces at most the whole group at a time", num(f.maxBatchSize), num(f.maxCapacity))
	}
}

// maxScalingSteps is what aws-cdk-lib's step scaling takes.
const maxScalingSteps = 40

// validateSteps checks RequestCountScaling's steps the way aws-cdk-lib's
// step scaling reads them (normalizeIntervals), so that nothing it would
// throw on later passes: two to 40 steps, each with a change and a bound,
// bounds not negative nor upside down; once each missing bound is taken
// from the neighbouring step, none left open and no two overlapping; and
// at most one range without a change (a gap, or a change of 0). On top,
// what aws-cdk-lib accepts but cannot be meant: a step below that range
// adding instances (its alarm fires as requests fall, and at 0 requests,
// which an idle site has, so it would grow an idle fleet), or one above
// removing them.
func (s *spec) validateSteps(ps *problems) {
	const setting = "AutoScaling.RequestCountScaling.Steps"
	steps := s.fleet.requestSteps
	switch {
	case len(steps) < 2:
		ps.add(setting, "has %d step(s); give at least two: one that adds instances above some request count and one that removes them below a lower one", len(steps))
	case len(steps) > maxScalingSteps:
		ps.add(setting, "has %d steps; step scaling takes at most %d", len(steps), maxScalingSteps)
	}
	var spans []span
	for i, st := range steps {
		key := fmt.Sprintf("%s[%d]", setting, i)
		if !st.hasChange {
			ps.add(key+".Change", "is required; give how many instances to add (positive) or remove (negative)")
		} else if s.isUnchecked(key + ".Change") {
			ps.add(key+".Change", "is a token; step scaling needs the number at synth")
		}
		if !st.hasLower && !st.hasUpper {
			ps.add(key, "has neither Lower nor Upper; give the requests per minute the step starts at (Lower), ends at (Upper), or both")
			continue
		}
		bad := false
		for _, b := range []struct {
			name  string
			v     float64
			given bool
		}{{"Lower", st.lower, st.hasLower}, {"Upper", st.upper, st.hasUpper}} {
			switch {
			case !b.given:
			case s.isUnchecked(key + "." + b.name):
				ps.add(key+"."+b.name, "is a token; step scaling orders the steps by their bounds at synth, so give a number")
				bad = true
			case b.v < 0 || math.IsNaN(b.v):
				ps.add(key+"."+b.name, "%s is not allowed; a request count is 0 or more", num(b.v))
				bad = true
			}
		}
		if !bad && st.hasLower && st.hasUpper && st.lower >= st.upper {
			ps.add(key, "runs from %s to %s requests per minute; Lower must be below Upper", num(st.lower), num(st.upper))
			bad = true
		}
		if !bad {
			sp := span{index: i, lower: math.NaN(), upper: math.NaN(), change: st.change}
			if st.hasLower {
				sp.lower = st.lower
			}
			if st.hasUpper {
				sp.upper = st.upper
			}
			spans = append(spans, sp)
		}
	}
	if len(spans) != len(steps) || len(spans) < 2 {
		return
	}
	completeSpans(spans)
	for _, sp := range spans {
		if math.IsNaN(sp.lower) || math.IsNaN(sp.upper) {
			ps.add(fmt.Sprintf("%s[%d]", setting, sp.index), "has a bound that no neighbouring step gives (steps are ordered by Lower, else Upper, and a missing bound is the previous step's Upper or the next step's Lower); give both bounds")
			return
		}
	}
	for i := 1; i < len(spans); i++ {
		if a, b := spans[i-1], spans[i]; a.lower < b.upper && a.upper > b.lower {
			ps.add(fmt.Sprintf("%s[%d]", setting, b.index), "overlaps step %d: they run from %s to %s and from %s to %s requests per minute, a missing bound reaching to the neighbouring step's; steps must not overlap", a.index, num(b.lower), upperText(b.upper), num(a.lower), upperText(a.upper))
			return
		}
	}
	absolute := s.fleet.adjustmentType == awsautoscaling.AdjustmentType_EXACT_CAPACITY
	ranges := withGaps(spans, absolute)
	var idle []string
	for _, r := range ranges {
		if r.index < 0 {
			idle = append(idle, fmt.Sprintf("%s to %s", num(r.lower), upperText(r.upper)))
		}
	}
	if len(idle) > 1 {
		ps.add(setting, "leaves %d ranges of requests per minute without a change (%s: uncovered, or a Change of 0); step scaling takes at most one, between the steps that remove instances and those that add them, so make the steps meet", len(idle), strings.Join(idle, ", "))
		return
	}
	if absolute {
		return
	}
	lowerEnd, upperStart := alarmSides(ranges)
	for i, r := range ranges {
		switch {
		case r.index < 0:
		case i <= lowerEnd && r.change > 0:
			ps.add(fmt.Sprintf("%s[%d].Change", setting, r.index), "%s adds instances below %s requests per minute, where the steps that remove instances belong: that alarm fires as requests fall, and at 0 requests an idle site has, so it would grow an idle fleet; make it negative, or move the step above", num(r.change), upperText(ranges[lowerEnd].upper))
		case i >= upperStart && r.change < 0:
			ps.add(fmt.Sprintf("%s[%d].Change", setting, r.index), "%s removes instances above %s requests per minute, where the steps that add instances belong: that alarm fires as requests grow; make it positive, or move the step below", num(r.change), num(ranges[upperStart].lower))
		}
	}
}

// span is a step's range of requests per minute, NaN where not given (or
// not yet filled in), with its index in Steps (-1 for a range no step
// covers) and change.
type span struct {
	index        int
	lower, upper float64
	change       float64
}

// completeSpans orders the steps by the bound each has (Lower, else
// Upper) and fills the missing bounds as aws-cdk-lib does: a step without
// Lower starts at the previous step's Upper, one without Upper ends at
// the next step's Lower, the first starts at 0 and the last has no end.
func completeSpans(spans []span) {
	key := func(sp span) float64 {
		if !math.IsNaN(sp.lower) {
			return sp.lower
		}
		return sp.upper
	}
	sort.SliceStable(spans, func(i, j int) bool { return key(spans[i]) < key(spans[j]) })
	for changed := true; changed; {
		changed = false
		for i := 0; i < len(spans)-1; i++ {
			if !math.IsNaN(spans[i].upper) && math.IsNaN(spans[i+1].lower) {
				spans[i+1].lower, changed = spans[i].upper, true
			}
		}
		for i := len(spans) - 1; i >= 1; i-- {
			if !math.IsNaN(spans[i].lower) && math.IsNaN(spans[i-1].upper) {
				spans[i-1].upper, changed = spans[i].lower, true
			}
		}
	}
	if math.IsNaN(spans[0].lower) {
		spans[0].lower = 0
	}
	if last := len(spans) - 1; math.IsNaN(spans[last].upper) {
		spans[last].upper = math.Inf(1)
	}
}

// withGaps are the complete steps from 0 to no end, as aws-cdk-lib
// normalizes them: the ranges no step covers, and the steps whose change
// is 0 (unless changes are absolute sizes), become ranges without a change
// (index -1), and neighbouring ones merge.
func withGaps(spans []span, absolute bool) []span {
	var out []span
	at := 0.0
	for _, sp := range spans {
		if sp.lower > at {
			out = append(out, span{index: -1, lower: at, upper: sp.lower})
		}
		if sp.change == 0 && !absolute {
			sp.index = -1
		}
		out = append(out, sp)
		at = sp.upper
	}
	if !math.IsInf(at, 1) {
		out = append(out, span{index: -1, lower: at, upper: math.Inf(1)})
	}
	merged := out[:1]
	for _, r := range out[1:] {
		if last := &merged[len(merged)-1]; last.index < 0 && r.index < 0 {
			last.upper = r.upper
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

// alarmSides is where aws-cdk-lib puts its two alarms (findAlarmThresholds):
// the ranges up to lowerEnd belong to the lower alarm (removing
// instances), those from upperStart on to the upper one (adding them);
// around the range without a change, or, with none, split in the middle.
func alarmSides(ranges []span) (lowerEnd, upperStart int) {
	for i, r := range ranges {
		if r.index < 0 {
			return i - 1, i + 1
		}
	}
	middle := len(ranges) / 2
	return middle - 1, middle
}

func upperText(v float64) string {
	if math.IsInf(v, 1) {
		return "any number of"
	}
	return num(v)
}
