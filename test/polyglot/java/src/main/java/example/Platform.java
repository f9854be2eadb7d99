package example;

import java.util.List;
import java.util.Map;

import org.cdk8s.App;
import org.cdk8s.cozystack.*;

public final class Platform {
    /** Declares the example platform in app. */
    public static RootTenant build(App app) {
        RootTenant root = RootTenant.Builder.create(app, "platform").host("example.org").build();
        new EtcdService(root);
        new IngressService(root);
        new MonitoringService(root);
        Map<String, KubernetesNodeGroup> nodeGroups = Map.of("md0", KubernetesNodeGroup.builder()
                .minReplicas(1).maxReplicas(3).instanceType("u1.medium").diskSize("20Gi").build());

        Tenant foo = new Tenant(root, "foo");                  // tenant-foo, foo.example.org
        KubernetesCluster.Builder.create(foo, "cluster1").nodeGroups(nodeGroups).build();

        Tenant u1 = new Tenant(root, "u1");
        new EtcdService(u1);
        new IngressService(u1);
        new MonitoringService(u1);
        Tenant u2 = new Tenant(u1, "u2");                      // tenant-u1-u2, no services of its own
        KubernetesCluster.Builder.create(u2, "cluster1").nodeGroups(nodeGroups).build();
        Postgres.Builder.create(u2, "db1").replicas(2).size("10Gi")
                .users(Map.of("app", PostgresUserValues.builder().build()))
                .databases(Map.of("app", PostgresDatabaseValues.builder()
                        .roles(PostgresDatabaseRolesValues.builder().admin(List.of("app")).build()).build()))
                .build();
        return root;
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();                                           // the bundle, with topology.json, in dist/
    }
}
