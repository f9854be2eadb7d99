"""The README's example platform, built with the packaged library (the wheel from dist/python)."""
import json

from cdk8s import App
from cdk8s_cozystack import ClusterService

from platform_example import build_platform


def synth(tmp_path):
    app = App(outdir=str(tmp_path))
    root = build_platform(app)
    app.synth()
    return root, json.loads((tmp_path / "topology.json").read_text())


def test_tenants_namespaces_hosts_and_providers(tmp_path):
    _, topology = synth(tmp_path)
    tenants = {t["name"]: (t["namespace"], t["host"], t["services"]) for t in topology["tenants"]}
    root_services = {"etcd": "tenant-root", "ingress": "tenant-root", "monitoring": "tenant-root", "seaweedfs": "tenant-root"}
    u1_services = {"etcd": "tenant-u1", "ingress": "tenant-u1", "monitoring": "tenant-u1", "seaweedfs": "tenant-root"}
    assert tenants == {
        "root": ("tenant-root", "example.org", root_services),
        "foo": ("tenant-foo", "foo.example.org", root_services),
        "u1": ("tenant-u1", "u1.example.org", u1_services),
        "u2": ("tenant-u1-u2", "u2.u1.example.org", u1_services),
    }


def test_apps_namespaces_hosts_and_providers(tmp_path):
    _, topology = synth(tmp_path)
    apps = sorted((a["kind"], a["namespace"], a["name"], a.get("host"), a["services"]) for a in topology["apps"])
    assert apps == [
        ("Kubernetes", "tenant-foo", "cluster1", "kubernetes-cluster1.foo.example.org",
         {"etcd": "tenant-root", "ingress": "tenant-root", "monitoring": "tenant-root"}),
        ("Kubernetes", "tenant-u1-u2", "cluster1", "kubernetes-cluster1.u2.u1.example.org",
         {"etcd": "tenant-u1", "ingress": "tenant-u1", "monitoring": "tenant-u1"}),
        ("Postgres", "tenant-u1-u2", "db1", "postgres-db1.u2.u1.example.org", {"monitoring": "tenant-u1"}),
    ]


def test_the_api_answers_as_the_bundle_does(tmp_path):
    root, _ = synth(tmp_path)
    u1 = next(t for t in root.node.children if getattr(t, "name", None) == "u1")
    u2 = next(t for t in u1.node.children if getattr(t, "name", None) == "u2")
    assert (u2.namespace, u2.host, u2.depth, u2.parent_tenant.namespace) == ("tenant-u1-u2", "u2.u1.example.org", 2, "tenant-u1")
    assert u2.etcd_provider.namespace == "tenant-u1"
    assert u2.provider_of(ClusterService.SEAWEEDFS).namespace == "tenant-root"
    assert not u2.runs_service(ClusterService.ETCD) and u1.runs_service(ClusterService.ETCD)
