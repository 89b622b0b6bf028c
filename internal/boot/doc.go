// Package boot runs a synthesized web tier's instances for real and asks them
// what the load balancer would.
//
//	tier, _ := boot.ReadTier(templateJSON, "ap-northeast-2")
//	root, _ := boot.EnsureRootfs(ctx, boot.DefaultCacheDir(), t.Logf)
//	cfg := boot.Config{Rootfs: root.Dir, WorkDir: work, Site: "www.example.com"}
//	res, _ := boot.Boot(ctx, cfg, "m01", tier.Machines[0], []boot.Ask{{Tier: tier}})
//
// A template can be valid and its site still dead: the user data must serve
// the health check target and every listener's instance port that the
// template gives the load balancer. Nothing that checks templates can tell,
// and an emulator of the AWS APIs runs no user data. So this package takes
// the user data from the template as EC2 hands it to an instance (the
// intrinsic functions in it resolved with made-up values of that instance,
// see ReadTier), and boots it the way an instance does:
//
//   - the machine is Debian 12, whose systemd 252 is the one Amazon Linux
//     2023 ships, in a root file system that debootstrap makes once from
//     Debian's packages and that is cached between runs (EnsureRootfs);
//   - every boot runs on a fresh overlay of that root, under
//     systemd-nspawn --boot, with systemd as PID 1;
//   - cloud-init (Debian's 22.4; Amazon Linux 2023 ships 22.2) runs the user
//     data as root in cloud-final.service at first boot only, as on EC2;
//   - the machine has its own network namespace, joined to a second one
//     that stands for the VPC: a fake instance metadata service at
//     169.254.169.254 there speaks the IMDSv2 token protocol (and refuses
//     requests without a token, as HttpTokens required does), and the probes
//     come from there, to the instance's private address, as the load
//     balancer's would. No traffic leaves the two namespaces.
//
// Then it asks what the load balancer asks (CheckHealth, CheckListener):
// the health check target with its timeout, HealthyThreshold times in a row
// (back to back, not Interval apart: a unit that restarts meanwhile fails),
// and each listener's instance port with its instance protocol and the
// headers ELB adds; it reboots the machine and asks again (the units must
// be enabled: the user data does not run twice, which is checked too). A
// failure names the unit that serves (or should serve) the port and its
// last journal lines.
//
// What it cannot show: Amazon Linux's own packages (Debian's python3 is
// 3.11, Amazon Linux 2023's 3.9), the real instance metadata service, and
// the load balancer itself (its health checker's exact requests, its
// timing, TLS negotiation policies).
//
// Booting needs root, systemd-nspawn (Debian's systemd-container),
// debootstrap and overlayfs; `make boot` installs the packages where they
// are missing.
package boot
