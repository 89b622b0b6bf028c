package test

// vpcLookupKey and importedVpcLookup stand in for what `cdk synth` with
// credentials would write to cdk.context.json for `-c vpcId=...`: a VPC in
// three zones with public and private subnets, like an account's default VPC
// plus private subnets.
const vpcLookupKey = "vpc-provider:account=" + testAccount + ":filter.vpc-id=" + importedVpc + ":region=ap-northeast-2:returnAsymmetricSubnets=true"

var importedVpcLookup = vpcLookupResponse(importedVpc, "10.20.0.0/16",
	subnetGroup("Public",
		subnet("subnet-0000000000000000a", "10.20.0.0/24", "ap-northeast-2a"),
		subnet("subnet-0000000000000000b", "10.20.1.0/24", "ap-northeast-2b"),
		subnet("subnet-0000000000000000c", "10.20.2.0/24", "ap-northeast-2c")),
	subnetGroup("Private",
		subnet("subnet-1000000000000000a", "10.20.10.0/24", "ap-northeast-2a"),
		subnet("subnet-1000000000000000c", "10.20.12.0/24", "ap-northeast-2c")))

// vpcLookupResponse is what the CLI's VPC lookup returns (the context
// value of a vpc-provider key).
func vpcLookupResponse(id, cidr string, groups ...interface{}) map[string]interface{} {
	return map[string]interface{}{"vpcId": id, "vpcCidrBlock": cidr, "ownerAccountId": testAccount, "availabilityZones": []interface{}{}, "subnetGroups": groups}
}

// subnetGroup is one group of a VPC lookup response; its name is its type.
func subnetGroup(typ string, subnets ...interface{}) interface{} {
	return map[string]interface{}{"name": typ, "type": typ, "subnets": subnets}
}

func subnet(id, cidr, az string) interface{} {
	return map[string]interface{}{"subnetId": id, "cidr": cidr, "availabilityZone": az, "routeTableId": "rtb-" + id[len("subnet-"):]}
}
