// TypeScript twin of the Go app cdk-classic-webtier (cmd/cdk-classic-webtier +
// internal/webtierapp/stack.go + constructs/classicelb) for its DEFAULT
// settings: the same aws-cdk-lib calls, in the same order, so `cdk synth`
// writes the same template. Only the `nag` context key is read (nag=false
// turns cdk-nag off, as in the Go app); the other settings are the Go app's
// defaults, fixed here.
//
// For the scale benchmark only: TWIN_N=<n> builds n copies of the web tier,
// TWIN_MODE=stacks (default: one stack each, ids ClassicWebTier,
// ClassicWebTier2, ...) or TWIN_MODE=one (one stack ClassicWebTier, copy k
// under the construct Tier<k>). TWIN_N unset is the default app.
import * as cdk from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elb from 'aws-cdk-lib/aws-elasticloadbalancing';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';

// The Go app's defaults (internal/webtierapp/settings.go, classicelb/defaults.go).
const REGION = 'ap-northeast-2';
const LOAD_BALANCER_NAME = 'exampleelb';
const STACK_ID = 'ClassicWebTier';
const SSM_CORE_POLICY = 'AmazonSSMManagedInstanceCore';

// classicelb/userdata.sh.tmpl rendered for the default listener (HTTP 80):
// the script the Go app's instances run, as its template holds it.
const USER_DATA_SCRIPT = "# Serves /index.html with this instance's id and Availability Zone, so the\n# health check passes and a browser shows which instance answered. Uses the\n# Python that Amazon Linux 2023 ships: no package download at boot.\nset -euo pipefail\nimds=http://169.254.169.254/latest\n# The metadata service can fail or refuse a call early in boot: retry each\n# call for about a minute instead of giving up on the first error.\nfetch() { curl -fsS --retry 12 --retry-all-errors --retry-delay 5 --connect-timeout 2 --max-time 10 \"$@\"; }\ntoken=$(fetch -X PUT \"$imds/api/token\" -H \"X-aws-ec2-metadata-token-ttl-seconds: 300\")\nmeta() { fetch -H \"X-aws-ec2-metadata-token: $token\" \"$imds/meta-data/$1\"; }\ninstance_id=$(meta instance-id)\nzone=$(meta placement/availability-zone)\ninstall -d -m 0755 /var/www/webtier\ncat > /var/www/webtier/index.html <<HTML\n<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>classic web tier</title></head>\n<body>\n<h1>Hello from $instance_id</h1>\n<p>Availability Zone: $zone</p>\n</body>\n</html>\nHTML\ncat > /etc/systemd/system/webtier-http@.service <<'UNIT'\n[Unit]\nDescription=Web tier page on port %i\nAfter=network-online.target\nWants=network-online.target\n\n[Service]\nExecStart=/usr/bin/python3 -m http.server %i --directory /var/www/webtier\nDynamicUser=yes\nAmbientCapabilities=CAP_NET_BIND_SERVICE\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\nUNIT\nsystemctl daemon-reload\nsystemctl enable --now webtier-http@80.service";

interface NagRule { id: string; reason: string; appliesTo?: string[] }

// classicelb/nag.go: cdk-nag suppressions written as resource metadata.
function suppress(c: IConstruct, ...rules: NagRule[]): void {
  const res = (c instanceof cdk.CfnResource ? c : c.node.defaultChild) as cdk.CfnResource;
  const list: any[] = [];
  const existing = res.getMetadata('cdk_nag');
  if (existing && Array.isArray(existing.rules_to_suppress)) list.push(...existing.rules_to_suppress);
  for (const r of rules) {
    const entry: any = { id: r.id, reason: r.reason };
    if (r.appliesTo && r.appliesTo.length > 0) entry.applies_to = [...r.appliesTo];
    list.push(entry);
  }
  res.addMetadata('cdk_nag', { rules_to_suppress: list });
}

// classicelb.NewWebTier with the default props the Go app passes.
class WebTier extends Construct {
  readonly lb: elb.CfnLoadBalancer;
  readonly lbSG: ec2.SecurityGroup;
  readonly instanceSG: ec2.SecurityGroup;
  readonly instances: ec2.Instance[] = [];
  readonly role: iam.Role;
  readonly accessLogBucket: s3.Bucket;
  readonly connections: ec2.Connections;
  readonly alarms: cw.Alarm[] = [];
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, vpc: ec2.IVpc) {
    super(scope, id);
    const lbSubnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC, onePerAz: true });
    const instanceSubnets = vpc.selectSubnets({ onePerAz: true });
    if (new Set(lbSubnets.subnets.map((s) => s.availabilityZone)).size < 2) {
      cdk.Annotations.of(this).addWarningV2('@classic-webtier/classicelb:singleZone', 'the load balancer spans fewer than 2 Availability Zones');
    }

    // createSecurityGroups
    this.lbSG = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc,
      description: 'Classic load balancer: listener ports in, instance ports out',
      allowAllOutbound: false,
    });
    this.instanceSG = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc,
      description: 'Web tier instances: instance ports from the load balancer only',
      allowAllOutbound: false,
    });
    // webtierapp/egress.go: the app's own VPC without NAT gateways.
    this.instanceSG.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443),
      "HTTPS out; from the isolated subnets only S3 answers (gateway endpoint: Amazon Linux's package repositories); s3PrefixListId narrows this to S3", false);
    const peer = ec2.Peer.anyIpv4();
    suppress(this.lbSG, { id: 'AwsSolutions-EC23', reason: 'An internet-facing load balancer serves the public: its listener ports (and only those) are open to any IPv4 address.' });
    this.lbSG.addIngressRule(peer, ec2.Port.tcp(80), `Listener port 80 from ${peer.uniqueId}`, false);
    this.lbSG.connections.allowTo(this.instanceSG, ec2.Port.tcp(80), 'Load balancer to instance port 80');
    this.connections = new ec2.Connections({ securityGroups: [this.lbSG], defaultPort: ec2.Port.tcp(80) });

    // createInstances
    const instanceType = new ec2.InstanceType('t3.micro');
    const image = ec2.MachineImage.latestAmazonLinux2023();
    const userData = ec2.UserData.forLinux();
    userData.addCommands(USER_DATA_SCRIPT);
    const blockDevices: ec2.BlockDevice[] = [{
      deviceName: '/dev/xvda',
      volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
    }];
    const publicIP = instanceSubnets.hasPublic ? undefined : false;
    this.role = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: 'Web tier instances',
    });
    this.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName(SSM_CORE_POLICY));
    suppress(this.role, {
      id: 'AwsSolutions-IAM4',
      reason: 'AmazonSSMManagedInstanceCore is the policy AWS maintains and documents for Session Manager on instances; it replaces SSH.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/' + SSM_CORE_POLICY],
    });
    const subnets = instanceSubnets.subnets;
    for (let i = 0; i < 2; i++) {
      const inst = new ec2.Instance(this, `Instance${i + 1}`, {
        vpc,
        vpcSubnets: { subnets: [subnets[i % subnets.length]] },
        instanceType,
        machineImage: image,
        userData,
        securityGroup: this.instanceSG,
        role: this.role,
        httpTokens: ec2.HttpTokens.REQUIRED,
        detailedMonitoring: true,
        blockDevices,
        associatePublicIpAddress: publicIP,
        userDataCausesReplacement: true,
      });
      suppress(inst, { id: 'AwsSolutions-EC29', reason: 'The instances are interchangeable web servers behind the load balancer; termination protection would block cdk destroy and instance replacement.' });
      this.instances.push(inst);
    }

    // createLoadBalancer (with accessLogBucket and grantLogDelivery)
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
      lifecycleRules: [{
        id: 'ExpireAccessLogs',
        expiration: cdk.Duration.days(90),
        noncurrentVersionExpiration: cdk.Duration.days(1),
        abortIncompleteMultipartUploadAfter: cdk.Duration.days(1),
      }],
    });
    suppress(this.accessLogBucket, { id: 'AwsSolutions-S1', reason: 'This bucket is the final destination of access logs; logging its own access would need another bucket without end.' });
    const stack = cdk.Stack.of(this);
    let principal: iam.IPrincipal = new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com');
    if (cdk.Token.isUnresolved(stack.region)) {
      principal = new iam.AccountPrincipal(stack.regionalFact('ELBV2_ACCOUNT'));
    } else {
      const account = RegionInfo.get(stack.region).elbv2Account;
      if (account) principal = new iam.AccountPrincipal(account);
    }
    const logPolicy = this.accessLogBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ElbAccessLogDelivery',
      principals: [principal],
      actions: ['s3:PutObject'],
      resources: [this.accessLogBucket.arnForObjects('AWSLogs/' + stack.account + '/*')],
    }));
    this.lb = new elb.CfnLoadBalancer(this, 'Resource', {
      scheme: 'internet-facing',
      subnets: lbSubnets.subnetIds,
      securityGroups: [this.lbSG.securityGroupId],
      listeners: [{ loadBalancerPort: '80', protocol: 'HTTP', instancePort: '80', instanceProtocol: 'HTTP' }],
      healthCheck: { target: 'HTTP:80/index.html', timeout: '5', interval: '30', unhealthyThreshold: '2', healthyThreshold: '10' },
      instances: this.instances.map((i) => i.instanceId),
      crossZone: true,
      connectionSettings: { idleTimeout: 60 },
      connectionDrainingPolicy: { enabled: true, timeout: 300 },
      loadBalancerName: LOAD_BALANCER_NAME,
      accessLoggingPolicy: { enabled: true, s3BucketName: this.accessLogBucket.bucketName, emitInterval: 60 },
    });
    suppress(this.lb,
      { id: 'AwsSolutions-ELB1', reason: 'A classic load balancer is what this construct builds: it codifies the classic ELB web tier of the console tutorial.' });
    this.lb.node.addDependency(lbSubnets.internetConnectivityEstablished);
    if (logPolicy.policyDependable) this.lb.node.addDependency(logPolicy.policyDependable);

    this.createAlarms();
    this.dashboard = this.createDashboard();
  }

  // classicelb/metrics.go
  metric(name: string, statistic: string, o: cw.MetricOptions = {}): cw.Metric {
    return new cw.Metric({
      namespace: 'AWS/ELB', metricName: name, statistic: o.statistic ?? statistic,
      label: o.label, period: o.period,
      dimensionsMap: { LoadBalancerName: this.lb.ref, ...(o.dimensionsMap ?? {}) },
    });
  }

  // classicelb/alarms.go, the default settings' alarms.
  private createAlarms(): void {
    const scope = new Construct(this, 'Alarms');
    const name = this.lb.ref;
    const each = { period: MINUTE };
    const look = `aws elb describe-instance-health --load-balancer-name ${name}`;
    const GT = cw.ComparisonOperator.GREATER_THAN_THRESHOLD;
    const defs: [string, cw.IMetric, cw.ComparisonOperator, number, number, string][] = [
      ['UnhealthyHosts', this.metric('UnHealthyHostCount', 'Average', each), GT, 0, 3,
        `An instance behind load balancer ${name} has failed its health check (HTTP:80/index.html) for 3 minutes. First: \`${look}\` names it and why; then, on the instance (Session Manager), is the server listening on port 80, and does it answer the check?`],
      ['HealthyHosts', this.metric('HealthyHostCount', 'Average', each), cw.ComparisonOperator.LESS_THAN_THRESHOLD, 2, 5,
        `Fewer than 2 instances behind load balancer ${name} (its fixed instances) have passed the health check for 5 minutes, or none is registered. First: \`${look}\`; an instance that is missing there was stopped or terminated: see the EC2 console.`],
      ['Latency', this.metric('Latency', 'p99', each), GT, 1, 5,
        `The slowest 1% of requests to load balancer ${name} waited more than 1 seconds for an instance to answer, for 5 minutes. First: the instances' CPU on the dashboard (busy instances: more or larger ones), then the slow requests in the access logs (backend_processing_time).`],
      ['SurgeQueue', this.metric('SurgeQueueLength', 'Maximum', each), GT, 100, 5,
        `More than 100 requests have been waiting at load balancer ${name} for an instance, for 5 minutes: the instances do not keep up (at 1,024 it rejects requests). First: the instances' CPU and latency on the dashboard; add instances or make them larger.`],
      ['Spillover', this.metric('SpilloverCount', 'Sum', each), GT, 0, 1,
        `Load balancer ${name} rejected requests because its surge queue (1,024) was full: clients got 503 or a closed connection. First: healthy instances and their CPU on the dashboard; add instances or make them larger.`],
      ['ElbErrorRate', this.errorRate('elb5xx', this.metric('HTTPCode_ELB_5XX', 'Sum', each), true), GT, 5, 3,
        `More than 5% of requests to load balancer ${name} got a 5XX from the load balancer itself for 3 minutes: no healthy instance to send them to, or a full surge queue. First: the healthy hosts and spillover on the dashboard, then \`${look}\`.`],
      ['BackendErrorRate', this.errorRate('backend5xx', this.metric('HTTPCode_Backend_5XX', 'Sum', each), false), GT, 5, 3,
        `More than 5% of requests to load balancer ${name} got a 5XX from the instances for 3 minutes: the application fails. First: the access logs (backend_status_code 5XX) for which paths and instances, then the application's own logs there.`],
    ];
    for (const [id, metric, op, threshold, periods, description] of defs) {
      this.alarms.push(new cw.Alarm(scope, id, {
        alarmName: this.alarmName(id),
        metric, comparisonOperator: op, threshold,
        evaluationPeriods: periods, datapointsToAlarm: periods,
        treatMissingData: id === 'HealthyHosts' ? cw.TreatMissingData.BREACHING : cw.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      }));
    }
  }

  private alarmName(kind: string): string {
    return cdk.Fn.join('-', [cdk.Stack.of(this).stackName, 'WebTier', kind]);
  }

  private errorRate(id: string, errors: cw.IMetric, ownErrors: boolean): cw.IMetric {
    const total = ownErrors ? `(FILL(requests, 0) + FILL(${id}, 0))` : 'FILL(requests, 0)';
    return new cw.MathExpression({
      expression: `IF(${total} >= 10, 100 * FILL(${id}, 0) / ${total}, 0)`,
      // Keys in sorted order, as jsii hands over the Go app's map.
      usingMetrics: { [id]: errors, requests: this.metric('RequestCount', 'Sum', { period: MINUTE }) },
      label: 'Percent of requests',
      period: MINUTE,
    });
  }

  // classicelb/dashboard.go
  private createDashboard(): cw.Dashboard {
    const each = { period: MINUTE };
    const withStat = (statistic: string, label: string) => ({ period: MINUTE, statistic, label });
    const graph = (title: string, ...left: cw.IMetric[]) => new cw.GraphWidget({ title, left, width: 12, height: 6 });
    const cpu = this.instances.map((inst) => new cw.Metric({
      namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensionsMap: { InstanceId: inst.instanceId },
      statistic: 'Average', label: inst.node.id, period: MINUTE,
    }));
    const stack = cdk.Stack.of(this);
    const alarms = this.alarms.map((a) => cw.Alarm.fromAlarmArn(this, 'DashboardAlarm' + a.node.id, stack.formatArn({
      service: 'cloudwatch', resource: 'alarm', resourceName: this.alarmName(a.node.id), arnFormat: cdk.ArnFormat.COLON_RESOURCE_NAME,
    })));
    return new cw.Dashboard(this, 'Dashboard', {
      widgets: [
        [graph('Requests per minute', this.metric('RequestCount', 'Sum', each)),
          graph('Latency (seconds)', this.metric('Latency', 'p99', withStat('p50', 'p50')), this.metric('Latency', 'p99', withStat('p99', 'p99')))],
        [graph('Instance responses', this.metric('HTTPCode_Backend_2XX', 'Sum', each), this.metric('HTTPCode_Backend_3XX', 'Sum', each),
          this.metric('HTTPCode_Backend_4XX', 'Sum', each), this.metric('HTTPCode_Backend_5XX', 'Sum', each)),
        graph('Load balancer errors', this.metric('HTTPCode_ELB_4XX', 'Sum', each), this.metric('HTTPCode_ELB_5XX', 'Sum', each),
          this.metric('BackendConnectionErrors', 'Sum', each))],
        [graph('Instances', this.metric('HealthyHostCount', 'Average', each), this.metric('UnHealthyHostCount', 'Average', each)),
          graph('Surge queue and spillover', this.metric('SurgeQueueLength', 'Maximum', each), this.metric('SpilloverCount', 'Sum', each))],
        [graph('Instance CPU (percent)', ...cpu),
          new cw.AlarmStatusWidget({ title: 'Alarms', alarms, width: 12, height: 6 })],
      ],
    });
  }
}

const MINUTE = cdk.Duration.minutes(1);

// webtierapp.NewStack body: VPC, web tier, flow logs, then cdk-nag, then the
// outputs (under scope, which is the stack itself in the default app).
function buildTier(stack: cdk.Stack, scope: Construct, nag: boolean): void {
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'LoadBalancer', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
      { name: 'Instances', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
    restrictDefaultSecurityGroup: false,
    gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
  });
  const tier = new WebTier(scope, 'WebTier', vpc);
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toS3(tier.accessLogBucket) });
  if (nag) cdk.Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true }));
  outputs(scope, tier);
}

function outputs(scope: Construct, tier: WebTier): void {
  new cdk.CfnOutput(scope, 'LoadBalancerName', {
    description: "Name of the classic load balancer (make verify reads its instances' health)",
    value: tier.lb.ref,
  });
  new cdk.CfnOutput(scope, 'LoadBalancerDnsName', {
    description: 'DNS name of the classic load balancer',
    value: tier.lb.attrDnsName,
  });
  new cdk.CfnOutput(scope, 'LoadBalancerUrl', {
    description: "URL of the web tier through the load balancer's DNS name",
    value: cdk.Fn.join('', ['http://', tier.lb.attrDnsName, '/']),
  });
  new cdk.CfnOutput(scope, 'DashboardUrl', {
    description: "The web tier's CloudWatch dashboard",
    value: cdk.Fn.join('', ['https://', REGION, '.console.aws.amazon.com/cloudwatch/home?region=', REGION, '#dashboards/dashboard/', tier.dashboard.dashboardName]),
  });
  new cdk.CfnOutput(scope, 'AccessLogBucketName', {
    description: 'Bucket of the access and flow logs; cdk destroy keeps it (see the README to remove it)',
    value: tier.accessLogBucket.bucketName,
  });
}

function newStack(app: cdk.App, id: string): cdk.Stack {
  const env: cdk.Environment = { region: REGION, ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}) };
  const stack = new cdk.Stack(app, id, {
    env,
    description: 'Classic ELB web tier: a classic load balancer over Amazon Linux instances in several Availability Zones (cdk-classic-webtier)',
  });
  return stack;
}

// PERF_TRACE=1 prints milliseconds since the process started at each phase.
const trace = (what: string) => { if (process.env.PERF_TRACE) console.error(`perf: ${what.padEnd(28)} ${performance.now().toFixed(1).padStart(8)} ms`); };
trace('modules loaded');
const app = new cdk.App();
trace('new App');
const nagCtx = app.node.tryGetContext('nag');
const nag = !(nagCtx === false || nagCtx === 'false');
const n = parseInt(process.env.TWIN_N || '1', 10);
if (process.env.TWIN_MODE === 'one') {
  // One stack, one cdk-nag aspect, copy k under the construct Tier<k>.
  const stack = newStack(app, STACK_ID);
  for (let k = 1; k <= n; k++) buildTier(stack, new Construct(stack, `Tier${k}`), nag && k === n);
} else {
  for (let k = 1; k <= n; k++) {
    const stack = newStack(app, k === 1 ? STACK_ID : `${STACK_ID}${k}`);
    buildTier(stack, stack, nag);
  }
}
trace('stacks built');
app.synth();
trace('app.synth');
