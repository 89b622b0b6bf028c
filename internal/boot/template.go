package boot

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Tier is what a template gives its instances and asks of them: each
// distinct user data EC2 would hand an instance, and the load balancer's
// health check and listeners.
type Tier struct {
	Region      string
	Machines    []Machine
	HealthCheck HealthCheck
	Listeners   []Listener
}

// Machine is one distinct user data, the resources that carry it, and the
// made-up instance that boots it (the first carrier's).
type Machine struct {
	// Resources are the logical ids of the instances and launch templates
	// with this user data.
	Resources []string
	// UserData is what the instance metadata service serves: the text
	// inside Fn::Base64, its intrinsic functions resolved.
	UserData []byte
	Instance Instance
}

// Instance is what the metadata service tells of the instance.
type Instance struct {
	ID, ImageID, Type, Zone, Region string
	// Address is its private address in its subnet, whose first address
	// stands for the VPC's router (and the load balancer's side).
	Address netip.Prefix
}

// Router is the address the VPC's router has in the instance's subnet (its
// first host), the load balancer's side in the test's network.
func (i Instance) Router() netip.Addr { return i.Address.Masked().Addr().Next() }

// HealthCheck is the load balancer's health check.
type HealthCheck struct {
	Protocol string
	Port     int
	// Path, with its query string, for HTTP and HTTPS.
	Path                        string
	Timeout, Interval           time.Duration
	HealthyThreshold, Unhealthy int
	Target                      string
}

// Listener is one listener's two sides.
type Listener struct {
	Protocol         string
	Port             int
	InstanceProtocol string
	InstancePort     int
}

func (l Listener) String() string {
	return fmt.Sprintf("%s %d -> %s %d", l.Protocol, l.Port, l.InstanceProtocol, l.InstancePort)
}

// ReadTier reads a synthesized template of a stack in region: its one
// classic load balancer, and the user data of every AWS::EC2::Instance and
// AWS::EC2::LaunchTemplate, with their intrinsic functions resolved with
// made-up values (see resolver). Instances with the same user data make one
// Machine.
func ReadTier(template []byte, region string) (*Tier, error) {
	var t map[string]any
	if err := json.Unmarshal(template, &t); err != nil {
		return nil, fmt.Errorf("read template: %w", err)
	}
	r := newResolver(t, region)
	tier := &Tier{Region: region}
	resources := r.section("Resources")
	var lbs []string
	for _, id := range slices.Sorted(maps.Keys(resources)) {
		res, _ := resources[id].(map[string]any)
		props, _ := res["Properties"].(map[string]any)
		var userData any
		switch res["Type"] {
		case "AWS::ElasticLoadBalancing::LoadBalancer":
			lbs = append(lbs, id)
			if err := tier.readLoadBalancer(r, id, props); err != nil {
				return nil, err
			}
			continue
		case "AWS::EC2::Instance":
			userData = props["UserData"]
		case "AWS::EC2::LaunchTemplate":
			data, _ := props["LaunchTemplateData"].(map[string]any)
			userData = data["UserData"]
		default:
			continue
		}
		if userData == nil {
			return nil, fmt.Errorf("%s has no UserData: the instance would boot to nothing the load balancer can reach", id)
		}
		text, err := r.str(userData, "Resources."+id+".UserData")
		if err != nil {
			return nil, err
		}
		if m := tier.machineWith(text); m != nil {
			m.Resources = append(m.Resources, id)
			continue
		}
		tier.Machines = append(tier.Machines, Machine{Resources: []string{id}, UserData: []byte(text), Instance: r.instance(id, res)})
	}
	switch {
	case len(lbs) != 1:
		return nil, fmt.Errorf("want one AWS::ElasticLoadBalancing::LoadBalancer, the template has %d", len(lbs))
	case len(tier.Machines) == 0:
		return nil, fmt.Errorf("the template has no AWS::EC2::Instance or AWS::EC2::LaunchTemplate")
	}
	return tier, nil
}

func (t *Tier) machineWith(userData string) *Machine {
	for i := range t.Machines {
		if string(t.Machines[i].UserData) == userData {
			return &t.Machines[i]
		}
	}
	return nil
}

func (t *Tier) readLoadBalancer(r *resolver, id string, props map[string]any) error {
	at := "Resources." + id + ".Properties"
	hc, err := r.resolve(props["HealthCheck"], at+".HealthCheck")
	if err != nil {
		return err
	}
	h, _ := hc.(map[string]any)
	if h == nil {
		return fmt.Errorf("%s has no HealthCheck", id)
	}
	target, err := scalar(h["Target"], at+".HealthCheck.Target")
	if err != nil {
		return err
	}
	if t.HealthCheck, err = parseTarget(target); err != nil {
		return fmt.Errorf("%s.HealthCheck.Target: %w", at, err)
	}
	for field, dst := range map[string]*int{"HealthyThreshold": &t.HealthCheck.HealthyThreshold, "UnhealthyThreshold": &t.HealthCheck.Unhealthy} {
		if *dst, err = intField(h, field, at+".HealthCheck"); err != nil {
			return err
		}
	}
	for field, dst := range map[string]*time.Duration{"Timeout": &t.HealthCheck.Timeout, "Interval": &t.HealthCheck.Interval} {
		n, err := intField(h, field, at+".HealthCheck")
		if err != nil {
			return err
		}
		*dst = time.Duration(n) * time.Second
	}
	ls, err := r.resolve(props["Listeners"], at+".Listeners")
	if err != nil {
		return err
	}
	list, _ := ls.([]any)
	for i, l := range list {
		m, _ := l.(map[string]any)
		where := fmt.Sprintf("%s.Listeners[%d]", at, i)
		var li Listener
		if li.Port, err = intField(m, "LoadBalancerPort", where); err != nil {
			return err
		}
		if li.InstancePort, err = intField(m, "InstancePort", where); err != nil {
			return err
		}
		li.Protocol, _ = m["Protocol"].(string)
		li.Protocol = strings.ToUpper(li.Protocol)
		li.InstanceProtocol, _ = m["InstanceProtocol"].(string)
		li.InstanceProtocol = strings.ToUpper(li.InstanceProtocol)
		if li.InstanceProtocol == "" {
			// CloudFormation's default: the plain protocol of the front
			// end's layer.
			li.InstanceProtocol = "HTTP"
			if li.Protocol == "TCP" || li.Protocol == "SSL" {
				li.InstanceProtocol = "TCP"
			}
		}
		t.Listeners = append(t.Listeners, li)
	}
	if len(t.Listeners) == 0 {
		return fmt.Errorf("%s has no listener", id)
	}
	return nil
}

// parseTarget reads "PROTOCOL:PORT[/path]".
func parseTarget(target string) (HealthCheck, error) {
	proto, rest, ok := strings.Cut(target, ":")
	if !ok {
		return HealthCheck{}, fmt.Errorf("%q is not PROTOCOL:PORT[/path]", target)
	}
	h := HealthCheck{Protocol: strings.ToUpper(proto), Target: target}
	port := rest
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		port, h.Path = rest[:i], rest[i:]
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return HealthCheck{}, fmt.Errorf("%q has no port 1-65535", target)
	}
	h.Port = n
	switch h.Protocol {
	case "HTTP", "HTTPS":
		if h.Path == "" {
			return HealthCheck{}, fmt.Errorf("%q has no path", target)
		}
	case "TCP", "SSL":
	default:
		return HealthCheck{}, fmt.Errorf("%q has no protocol HTTP, HTTPS, TCP or SSL", target)
	}
	return h, nil
}

func intField(m map[string]any, field, at string) (int, error) {
	s, err := scalar(m[field], at+"."+field)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s.%s: %q is not a whole number", at, field, s)
	}
	return n, nil
}

// instance makes up the instance EC2 would launch from a resource: its
// Availability Zone and private address from its subnet (a launch
// template's from the first subnet of the group that uses it), an id and
// an image id.
func (r *resolver) instance(id string, res map[string]any) Instance {
	props, _ := res["Properties"].(map[string]any)
	inst := Instance{ID: madeUpID("i-", id), Region: r.region, Type: "t3.micro"}
	data := props
	if res["Type"] == "AWS::EC2::LaunchTemplate" {
		data, _ = props["LaunchTemplateData"].(map[string]any)
	}
	if typ, err := r.str(data["InstanceType"], "Resources."+id+".InstanceType"); err == nil && typ != "" {
		inst.Type = typ
	}
	inst.ImageID = madeUpID("ami-", id)
	if img, err := r.str(data["ImageId"], "Resources."+id+".ImageId"); err == nil && strings.HasPrefix(img, "ami-") {
		inst.ImageID = img
	}
	subnet := r.subnetOf(id, res)
	inst.Zone = r.region + "a"
	cidr := "10.0.2.0/24"
	if subnet != nil {
		if z, err := r.str(subnet["AvailabilityZone"], "subnet AvailabilityZone"); err == nil && z != "" {
			inst.Zone = z
		}
		if c, err := r.str(subnet["CidrBlock"], "subnet CidrBlock"); err == nil && c != "" {
			cidr = c
		}
	}
	if z, err := r.str(props["AvailabilityZone"], "Resources."+id+".AvailabilityZone"); err == nil && z != "" {
		inst.Zone = z
	}
	prefix, err := netip.ParsePrefix(cidr)
	if err != nil || !prefix.Addr().Is4() || prefix.Bits() > 28 {
		prefix = netip.MustParsePrefix("10.0.2.0/24")
	}
	// The tenth address of the subnet: AWS keeps the first four.
	addr := prefix.Masked().Addr()
	for range 10 {
		addr = addr.Next()
	}
	inst.Address = netip.PrefixFrom(addr, prefix.Bits())
	return inst
}

// subnetOf is the properties of the subnet a resource launches into, nil
// when the template does not say.
func (r *resolver) subnetOf(id string, res map[string]any) map[string]any {
	resources := r.section("Resources")
	subnetRes := func(ref any) map[string]any {
		m, _ := ref.(map[string]any)
		name, _ := m["Ref"].(string)
		s, _ := resources[name].(map[string]any)
		if s["Type"] != "AWS::EC2::Subnet" {
			return nil
		}
		p, _ := s["Properties"].(map[string]any)
		return p
	}
	props, _ := res["Properties"].(map[string]any)
	if res["Type"] == "AWS::EC2::Instance" {
		if p := subnetRes(props["SubnetId"]); p != nil {
			return p
		}
		nics, _ := props["NetworkInterfaces"].([]any)
		for _, n := range nics {
			nic, _ := n.(map[string]any)
			if p := subnetRes(nic["SubnetId"]); p != nil {
				return p
			}
		}
		return nil
	}
	// A launch template: the first subnet of a group that launches it.
	for _, gid := range slices.Sorted(maps.Keys(resources)) {
		g, _ := resources[gid].(map[string]any)
		if g["Type"] != "AWS::AutoScaling::AutoScalingGroup" {
			continue
		}
		gp, _ := g["Properties"].(map[string]any)
		lt, _ := gp["LaunchTemplate"].(map[string]any)
		ltID, _ := lt["LaunchTemplateId"].(map[string]any)
		if ltID["Ref"] != id {
			continue
		}
		subnets, _ := gp["VPCZoneIdentifier"].([]any)
		if len(subnets) > 0 {
			return subnetRes(subnets[0])
		}
	}
	return nil
}
