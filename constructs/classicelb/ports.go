package classicelb

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
)

// Ports, and other numbers, as they appear in templates and messages.

// appendNew appends p unless ports holds it already.
func appendNew(ports []float64, p float64) []float64 {
	for _, q := range ports {
		if q == p {
			return ports
		}
	}
	return append(ports, p)
}

// portTexts renders ports with portText.
func portTexts(ports []float64) []string {
	out := make([]string, len(ports))
	for i, p := range ports {
		out[i] = portText(p)
	}
	return out
}

// portText renders a port, or its token, for descriptions and templates.
func portText(p float64) string {
	if unresolved(p) {
		return *awscdk.Token_AsString(jsii.Number(p), nil)
	}
	return num(p)
}
