package clb

import "strings"

// ACMRegion is the region of an ACM certificate ARN
// (arn:aws:acm:REGION:ACCOUNT:certificate/ID), empty for an IAM server
// certificate or anything else. A load balancer takes ACM certificates of
// its own region only.
func ACMRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && parts[2] == "acm" {
		return parts[3]
	}
	return ""
}

// IsIAMCertificate reports an IAM server certificate ARN
// (arn:aws:iam::ACCOUNT:server-certificate/NAME), which is global: a load
// balancer of any region takes it.
func IsIAMCertificate(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "iam"
}
