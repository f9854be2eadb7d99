from cdk8s import App
from cdk8s_cozystack import (
    EtcdService, IngressService, KubernetesCluster, KubernetesNodeGroup, MonitoringService,
    Postgres, PostgresDatabaseRolesValues, PostgresDatabaseValues, PostgresUserValues, RootTenant, Tenant,
)


def build_platform(app: App) -> RootTenant:
    root = RootTenant(app, "platform", host="example.org")
    EtcdService(root)
    IngressService(root)
    MonitoringService(root)
    md0 = KubernetesNodeGroup(min_replicas=1, max_replicas=3, instance_type="u1.medium", disk_size="20Gi")

    foo = Tenant(root, "foo")                           # tenant-foo, foo.example.org
    KubernetesCluster(foo, "cluster1", node_groups={"md0": md0})

    u1 = Tenant(root, "u1")
    EtcdService(u1)
    IngressService(u1)
    MonitoringService(u1)
    u2 = Tenant(u1, "u2")                               # tenant-u1-u2, no services of its own
    KubernetesCluster(u2, "cluster1", node_groups={"md0": md0})
    Postgres(u2, "db1", replicas=2, size="10Gi",
             users={"app": PostgresUserValues()},
             databases={"app": PostgresDatabaseValues(roles=PostgresDatabaseRolesValues(admin=["app"]))})
    return root


if __name__ == "__main__":
    app = App()
    build_platform(app)
    app.synth()                                         # the bundle, with topology.json, in dist/
