package classicelb

import (
	"fmt"
	"strings"
)

// sshPort is the port SshPeers opens and sshd listens on.
const sshPort = 22

// takenPorts are the TCP ports Amazon Linux 2023 holds from boot, which the
// default user data's page server cannot listen on: sshd on 22 (on whether
// or not SshPeers opens it), and systemd-resolved's stub resolver on
// 127.0.0.53:53 and 127.0.0.54:53, beside which a server on every address
// cannot bind port 53.
var takenPorts = map[float64]string{
	sshPort: "sshd",
	53:      "systemd-resolved (its stub resolver on 127.0.0.53)",
}

// validateInstancePorts refuses instance ports where no instance can serve
// the page, which leaves every instance OutOfService (or a TCP check
// passing on the wrong server): the SSH port while SshPeers opens it, and,
// with the default user data, a port the operating system already holds.
func (s *spec) validateInstancePorts(ps *problems) {
	for _, u := range s.portUses() {
		setting, what := u.setting, "is"
		if u.listener >= 0 && s.listeners[u.listener].internalPortDerived {
			// The instance port follows the front end's: blame the
			// setting that was typed.
			setting, what = fmt.Sprintf("Listeners[%d].ExternalPort", u.listener), "makes the instance port"
		}
		if u.listener < 0 && s.healthCheck.portDerived || s.isUnchecked(u.setting) || unresolved(u.port) {
			continue
		}
		holder, taken := takenPorts[u.port]
		switch {
		case u.port == sshPort && len(s.sshPeers) > 0:
			ps.add(setting, "%s %s, the SSH port SshPeers opens on the instances: sshd holds it, so %s cannot reach a web server there; use another instance port, such as 80 or 8080", what, num(u.port), u.what)
		case taken && s.instances.defaultUserData:
			ps.add(setting, "%s %s, which %s holds on Amazon Linux 2023: the default user data's page server cannot listen there, so %s would reach %s, not the page; use another instance port, such as 80 or 8080, or give UserData of your own", what, num(u.port), holder, u.what, strings.Fields(holder)[0])
		}
	}
}
