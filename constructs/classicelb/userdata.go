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
	var b strings.Builder
	if err := userDataTemplate.Execute(&b, struct{ Ports []string }{ports}); err != nil {
		panic(err) // the template is fixed; only a programming error gets here
	}
	ud := awsec2.UserData_ForLinux(nil)
	ud.AddCommands(jsii.String(strings.TrimRight(b.String(), "\n")))
	return ud
}
