// Package stackenv holds where the app's stack lives unless settings say
// otherwise: the defaults, the environment's region, and the stack names of
// several regions.
package stackenv

// Defaults of the app's stack.
const (
	// DefaultRegion is the tutorial's region, Seoul.
	DefaultRegion = "ap-northeast-2"
	// DefaultStackName is the stack's name (and construct id) unless
	// stackName says otherwise.
	DefaultStackName = "ClassicWebTier"
)

// Region is where the AWS tools point: AWS_REGION, else AWS_DEFAULT_REGION,
// else the default region; from names the variable (empty for the
// default).
func Region(getenv func(string) string) (region, from string) {
	for _, v := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if r := getenv(v); r != "" {
			return r, v
		}
	}
	return DefaultRegion, ""
}

// RegionalStackName is the name of the stack in region when the app
// deploys to several regions (key regions): the stack name, a hyphen and
// the region.
func RegionalStackName(stackName, region string) string {
	return stackName + "-" + region
}
