package classicelb

import (
	_ "embed"
	"slices"
	"strings"
	"text/template"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
)

//go:embed userdata.sh.tmpl
var userDataScript string

// webServer is the page server the script writes when a port needs TLS,
// the redirect to HTTPS, or an answer to a health check path that is not
// a page; python3 -m http.server serves the others, so a stack that needs
// none of it keeps its user data (and its instances).
//
//go:embed webserver.py
var webServer string

var userDataTemplate = template.Must(template.New("userdata").Parse(userDataScript))

// pageServer is what the default user data serves: the plain and the TLS
// instance ports, where plain HTTP is sent (the HTTPS listener's port,
// empty for no redirect), and the path an HTTP or HTTPS health check
// requests (without its query string; empty for TCP and SSL checks).
type pageServer struct {
	Ports, TLSPorts []string
	Redirect        string
	HealthPath      string
}

// staticPages are the health check paths python3 -m http.server answers
// with 200 from the page it serves (whatever the query string).
var staticPages = []string{"/", "/index.html"}

// needsServer: python3 -m http.server cannot do it.
func (p pageServer) needsServer() bool {
	return len(p.TLSPorts) > 0 || p.Redirect != "" || (p.HealthPath != "" && !slices.Contains(staticPages, p.HealthPath))
}

// defaultUserData serves the page on every distinct instance port.
func defaultUserData(p pageServer) awsec2.UserData {
	ud := awsec2.UserData_ForLinux(nil)
	ud.AddCommands(jsii.String(userDataScriptFor(p)))
	return ud
}

// userDataScriptFor renders the default script (without the shebang that
// UserData_ForLinux adds).
func userDataScriptFor(p pageServer) string {
	data := struct {
		pageServer
		Server string
	}{pageServer: p}
	if p.needsServer() {
		data.Server = webServer
		if p.HealthPath != "" {
			data.HealthPath = systemdArg(p.HealthPath)
		}
	}
	var b strings.Builder
	if err := userDataTemplate.Execute(&b, data); err != nil {
		panic(err) // the template is fixed; only a programming error gets here
	}
	return strings.TrimRight(b.String(), "\n")
}

// systemdArg quotes one argument of an ExecStart line: systemd reads % as a
// specifier, $ as a variable, and splits on white space.
func systemdArg(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "%", "%%", "$", "$$")
	return `"` + r.Replace(s) + `"`
}
