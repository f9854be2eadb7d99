package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cdk8s.App;
import org.cdk8s.AppProps;
import org.cdk8s.cozystack.ClusterService;
import org.cdk8s.cozystack.ITenant;
import org.cdk8s.cozystack.RootTenant;
import org.cdk8s.cozystack.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example platform, built with the packaged library (the jar from dist/java). */
class PlatformTest {
    @TempDir
    Path outdir;

    private RootTenant root;

    private JsonNode synth() throws Exception {
        App app = new App(AppProps.builder().outdir(outdir.toString()).build());
        root = Platform.build(app);
        app.synth();
        return new ObjectMapper().readTree(outdir.resolve("topology.json").toFile());
    }

    private static Map<String, String> services(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        node.get("services").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    @Test
    void tenantsNamespacesHostsAndProviders() throws Exception {
        Map<String, String> rootServices = Map.of("etcd", "tenant-root", "ingress", "tenant-root", "monitoring", "tenant-root", "seaweedfs", "tenant-root");
        Map<String, String> u1Services = Map.of("etcd", "tenant-u1", "ingress", "tenant-u1", "monitoring", "tenant-u1", "seaweedfs", "tenant-root");
        Map<String, List<Object>> want = Map.of(
                "root", List.of("tenant-root", "example.org", rootServices),
                "foo", List.of("tenant-foo", "foo.example.org", rootServices),
                "u1", List.of("tenant-u1", "u1.example.org", u1Services),
                "u2", List.of("tenant-u1-u2", "u2.u1.example.org", u1Services));
        Map<String, List<Object>> got = new TreeMap<>();
        for (JsonNode t : synth().get("tenants")) {
            got.put(t.get("name").asText(), List.of(t.get("namespace").asText(), t.get("host").asText(), services(t)));
        }
        assertEquals(new TreeMap<>(want), got);
    }

    @Test
    void appsNamespacesHostsAndProviders() throws Exception {
        TreeSet<String> got = new TreeSet<>();
        for (JsonNode a : synth().get("apps")) {
            got.add(String.join(" ", a.get("kind").asText(), a.get("namespace").asText(), a.get("name").asText(),
                    a.get("host").asText(), services(a).toString()));
        }
        assertEquals(new TreeSet<>(List.of(
                "Kubernetes tenant-foo cluster1 kubernetes-cluster1.foo.example.org {etcd=tenant-root, ingress=tenant-root, monitoring=tenant-root}",
                "Kubernetes tenant-u1-u2 cluster1 kubernetes-cluster1.u2.u1.example.org {etcd=tenant-u1, ingress=tenant-u1, monitoring=tenant-u1}",
                "Postgres tenant-u1-u2 db1 postgres-db1.u2.u1.example.org {monitoring=tenant-u1}")), got);
    }

    @Test
    void theApiAnswersAsTheBundleDoes() throws Exception {
        synth();
        ITenant u2 = Tenant.of(root.getNode().findChild("u1").getNode().findChild("u2"));
        assertEquals("tenant-u1-u2", u2.getNamespace());
        assertEquals("u2.u1.example.org", u2.getHost());
        assertEquals(2, u2.getDepth().intValue());
        assertEquals("tenant-u1", u2.getParentTenant().getNamespace());
        assertEquals("tenant-u1", u2.getEtcdProvider().getNamespace());
        assertEquals("tenant-root", u2.providerOf(ClusterService.SEAWEEDFS).getNamespace());
        assertFalse(u2.runsService(ClusterService.ETCD));
        assertTrue(u2.getParentTenant().runsService(ClusterService.ETCD));
    }
}
