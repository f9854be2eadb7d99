module example.com/platform

go 1.25

require (
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2 v2.70.106
	github.com/maintainers/cdk8s-cozystack-go/cdk8scozystack v0.0.0
)
