package classicelb

import (
	_ "embed"
	"strings"
	"text/template"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
)

//go:embed userdata.sh.tmpl
var userDataScript string

var userDataTemplate = template.Must(template.New("userdata").Parse(userDataScript))

// defaultUserData serves the page on every distinct instance port.
func defaultUserData(ports []string) awsec2.UserData {
	ud := awsec2.UserData_ForLinux(nil)
	ud.AddCommands(jsii.String(userDataScriptFor(ports)))
	return ud
}

// userDataScriptFor renders the default script (without the shebang that
// UserData_ForLinux adds).
func userDataScriptFor(ports []string) string {
	var b strings.Builder
	if err := userDataTemplate.Execute(&b, struct{ Ports []string }{ports}); err != nil {
		panic(err) // the template is fixed; only a programming error gets here
	}
	return strings.TrimRight(b.String(), "\n")
}
