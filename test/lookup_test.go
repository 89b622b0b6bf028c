package test

// vpcLookupKey and importedVpcLookup stand in for what `cdk synth` with
// credentials would write to cdk.context.json for `-c vpcId=...`: a VPC in
// three zones with public and private subnets, like an account's default VPC
// plus private subnets.
const vpcLookupKey = "vpc-provider:account=" + testAccount + ":filter.vpc-id=" + importedVpc + ":region=ap-northeast-2:returnAsymmetricSubnets=true"

var importedVpcLookup = map[string]interface{}{
	"vpcId":             importedVpc,
	"vpcCidrBlock":      "10.20.0.0/16",
	"ownerAccountId":    testAccount,
	"availabilityZones": []interface{}{},
	"subnetGroups": []interface{}{
		map[string]interface{}{"name": "Public", "type": "Public", "subnets": []interface{}{
			subnet("subnet-0000000000000000a", "10.20.0.0/24", "ap-northeast-2a"),
			subnet("subnet-0000000000000000b", "10.20.1.0/24", "ap-northeast-2b"),
			subnet("subnet-0000000000000000c", "10.20.2.0/24", "ap-northeast-2c"),
		}},
		map[string]interface{}{"name": "Private", "type": "Private", "subnets": []interface{}{
			subnet("subnet-1000000000000000a", "10.20.10.0/24", "ap-northeast-2a"),
			subnet("subnet-1000000000000000c", "10.20.12.0/24", "ap-northeast-2c"),
		}},
	},
}

func subnet(id, cidr, az string) map[string]interface{} {
	return map[string]interface{}{"subnetId": id, "cidr": cidr, "availabilityZone": az, "routeTableId": "rtb-" + id[len("subnet-"):]}
}
