package classicelb

import (
	"fmt"
	"math"
	"sort"

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
	if s.rangeCheck(ps, "AutoScaling.MaxBatchSize", f.maxBatchSize, clb.Capacity) && maxOK && known("AutoScaling.MaxBatchSize", "AutoScaling.MaxCapacity") && f.maxBatchSize > f.maxCapacity {
		ps.add("AutoScaling.MaxBatchSize", "%s is more than AutoScaling.MaxCapacity (%s); a rolling update replaces at most the whole group at a time", num(f.maxBatchSize), num(f.maxCapacity))
	}
	if f.hasRequestScaling {
		s.validateSteps(ps)
	}
}

// validateSteps checks RequestCountScaling's steps the way aws-cdk-lib's
// step scaling reads them, before it would throw: at least two, each with
// a change and a bound, bounds not negative nor upside down, and, once
// each missing bound is taken from the neighbouring step (aws-cdk-lib's
// rule), no two overlapping.
func (s *spec) validateSteps(ps *problems) {
	const setting = "AutoScaling.RequestCountScaling.Steps"
	steps := s.fleet.requestSteps
	if len(steps) < 2 {
		ps.add(setting, "has %d step(s); give at least two: one that adds instances above some request count and one that removes them below a lower one", len(steps))
	}
	var spans []span
	for i, st := range steps {
		key := fmt.Sprintf("%s[%d]", setting, i)
		if !st.hasChange {
			ps.add(key+".Change", "is required; give how many instances to add (positive) or remove (negative)")
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
			if !b.given || s.isUnchecked(key+"."+b.name) {
				bad = bad || b.given
				continue
			}
			if b.v < 0 || math.IsNaN(b.v) {
				ps.add(key+"."+b.name, "%s is not allowed; a request count is 0 or more", num(b.v))
				bad = true
			}
		}
		if !bad && st.hasLower && st.hasUpper && st.lower >= st.upper {
			ps.add(key, "runs from %s to %s requests per minute; Lower must be below Upper", num(st.lower), num(st.upper))
			bad = true
		}
		if !bad {
			sp := span{index: i, lower: math.NaN(), upper: math.NaN()}
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
	for i := 1; i < len(spans); i++ {
		if a, b := spans[i-1], spans[i]; a.lower < b.upper && a.upper > b.lower {
			ps.add(fmt.Sprintf("%s[%d]", setting, b.index), "overlaps step %d: they run from %s to %s and from %s to %s requests per minute, a missing bound reaching to the neighbouring step's; steps must not overlap", a.index, num(b.lower), upperText(b.upper), num(a.lower), upperText(a.upper))
		}
	}
}

// span is a step's range of requests per minute, NaN where not given.
type span struct {
	index        int
	lower, upper float64
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

func upperText(v float64) string {
	if math.IsInf(v, 1) {
		return "any number of"
	}
	return num(v)
}
