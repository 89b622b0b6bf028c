package webtierapp

import (
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/regioninfo"
	"github.com/aws/constructs-go/constructs/v10"

	"github.com/classic-webtier/cdk-classic-webtier/internal/clb"
)

// knownRegion accepts the regions of aws-cdk-lib's region table, the table
// its region facts (the ELB log delivery account among them) come from.
func knownRegion(region string) error {
	if regionTable.has(region) {
		return nil
	}
	names := regionTable.sorted()
	return fmt.Errorf("%q is not a region aws-cdk-lib%s knows; did you mean %s? known: %s", region, cdkVersion(), nearest(region, names), strings.Join(names, ", "))
}

// regionTable is aws-cdk-lib's region table, its names read as far as a
// check needs and kept: each name is a call into aws-cdk-lib, and every
// stack checks its region.
var regionTable = &regions{}

type regions struct {
	mu      sync.Mutex
	entries []regioninfo.RegionInfo
	names   []string
}

// has reports whether the table names region, reading names only up to it.
func (t *regions) has(region string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.entries == nil {
		t.entries = *regioninfo.RegionInfo_Regions()
	}
	for i := range t.entries {
		if i == len(t.names) {
			t.names = append(t.names, *t.entries[i].Name())
		}
		if t.names[i] == region {
			return true
		}
	}
	return false
}

// partition is the partition of a region the table knows (aws, aws-cn
// ...), else "".
func (t *regions) partition(region string) string {
	if !t.has(region) {
		return ""
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.entries[slices.Index(t.names, region)].Partition()
	if p == nil {
		return ""
	}
	return *p
}

// sorted are every name of the table, sorted (has has read them all when
// it found none).
func (t *regions) sorted() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Sorted(slices.Values(t.names))
}

// cdkVersion is " <version>" of the aws-cdk-lib this binary was built with,
// whose region table decides; empty if the build does not say.
func cdkVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/aws/aws-cdk-go/awscdk/v2" {
				return " " + strings.TrimPrefix(dep.Version, "v")
			}
		}
	}
	return ""
}

// checkResourceCount reports a stack that CloudFormation would refuse for
// its size, in terms of instanceCount, the setting that grows it, with the
// most instances that fit beside everything else.
func (s *Settings) checkResourceCount(scope constructs.Construct, instances []awsec2.Instance) error {
	resources := countResources(scope)
	if resources <= clb.MaxStackResources || len(instances) == 0 {
		return nil
	}
	// aws-cdk-lib gives each instance its own instance profile.
	perInstance := countResources(instances[0])
	others := resources - perInstance*len(instances)
	return &SettingsError{Errs: []error{fmt.Errorf("instanceCount: %d instances make the stack %d resources (%d each, with its instance profile); a CloudFormation stack holds at most %d, so at most %d instances fit with these settings",
		len(instances), resources, perInstance, clb.MaxStackResources, (clb.MaxStackResources-others)/perInstance)}}
}

// countResources counts the CloudFormation resources in a construct's tree.
// The construct proxies jsii hands back carry their class, so a type
// assertion here tells a resource apart without a round trip to
// JavaScript per construct (CfnResource.isCfnResource was about 75 of the
// default app's 470 calls).
func countResources(c constructs.IConstruct) int {
	n := 0
	for _, child := range *c.Node().FindAll(constructs.ConstructOrder_PREORDER) {
		if _, ok := child.(awscdk.CfnResource); ok {
			n++
		}
	}
	return n
}

// looksUpVpc tells whether the VPC is looked up rather than the app's own.
func (s *Settings) looksUpVpc() bool {
	return s.VpcID != "" || s.UseDefaultVpc || s.regional["vpcId"] != nil
}
