package platform

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	cozy "github.com/maintainers/cdk8s-cozystack-go/cdk8scozystack"
)

// BuildPlatform declares the example platform in app.
func BuildPlatform(app cdk8s.App) cozy.RootTenant {
	root := cozy.NewRootTenant(app, jsii.String("platform"), &cozy.RootTenantProps{Host: jsii.String("example.org")})
	cozy.NewEtcdService(root, nil)
	cozy.NewIngressService(root, nil)
	cozy.NewMonitoringService(root, nil)
	nodeGroups := &map[string]*cozy.KubernetesNodeGroup{"md0": {
		MinReplicas: jsii.Number(1), MaxReplicas: jsii.Number(3),
		InstanceType: jsii.String("u1.medium"), DiskSize: jsii.String("20Gi"),
	}}

	foo := cozy.NewTenant(root, jsii.String("foo"), nil) // tenant-foo, foo.example.org
	cozy.NewKubernetesCluster(foo, jsii.String("cluster1"), &cozy.KubernetesClusterProps{NodeGroups: nodeGroups})

	u1 := cozy.NewTenant(root, jsii.String("u1"), nil)
	cozy.NewEtcdService(u1, nil)
	cozy.NewIngressService(u1, nil)
	cozy.NewMonitoringService(u1, nil)
	u2 := cozy.NewTenant(u1, jsii.String("u2"), nil) // tenant-u1-u2, no services of its own
	cozy.NewKubernetesCluster(u2, jsii.String("cluster1"), &cozy.KubernetesClusterProps{NodeGroups: nodeGroups})
	cozy.NewPostgres(u2, jsii.String("db1"), &cozy.PostgresProps{
		Replicas: jsii.Number(2),
		Size:     jsii.String("10Gi"),
		Users:    &map[string]*cozy.PostgresUserValues{"app": {}},
		Databases: &map[string]*cozy.PostgresDatabaseValues{"app": {
			Roles: &cozy.PostgresDatabaseRolesValues{Admin: jsii.Strings("app")},
		}},
	})
	return root
}
