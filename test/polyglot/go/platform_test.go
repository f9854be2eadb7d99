package platform

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	cozy "github.com/maintainers/cdk8s-cozystack-go/cdk8scozystack"
)

type topology struct {
	Tenants []struct {
		Name, Namespace, Host string
		Services              map[string]string
	}
	Apps []struct {
		Kind, Namespace, Name, Host string
		Services                    map[string]string
	}
}

func synth(t *testing.T) (cozy.RootTenant, topology) {
	dir := t.TempDir()
	app := cdk8s.NewApp(&cdk8s.AppProps{Outdir: jsii.String(dir)})
	root := BuildPlatform(app)
	app.Synth()
	data, err := os.ReadFile(filepath.Join(dir, "topology.json"))
	if err != nil {
		t.Fatal(err)
	}
	var topo topology
	if err := json.Unmarshal(data, &topo); err != nil {
		t.Fatal(err)
	}
	return root, topo
}

func services(etcd, ingress, monitoring, seaweedfs string) map[string]string {
	s := map[string]string{"etcd": etcd, "ingress": ingress, "monitoring": monitoring, "seaweedfs": seaweedfs}
	for k, v := range s {
		if v == "" {
			delete(s, k)
		}
	}
	return s
}

func TestTenantsNamespacesHostsAndProviders(t *testing.T) {
	_, topo := synth(t)
	got := map[string][]interface{}{}
	for _, x := range topo.Tenants {
		got[x.Name] = []interface{}{x.Namespace, x.Host, x.Services}
	}
	root := services("tenant-root", "tenant-root", "tenant-root", "tenant-root")
	u1 := services("tenant-u1", "tenant-u1", "tenant-u1", "tenant-root")
	want := map[string][]interface{}{
		"root": {"tenant-root", "example.org", root},
		"foo":  {"tenant-foo", "foo.example.org", root},
		"u1":   {"tenant-u1", "u1.example.org", u1},
		"u2":   {"tenant-u1-u2", "u2.u1.example.org", u1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tenants:\n got %v\nwant %v", got, want)
	}
}

func TestAppsNamespacesHostsAndProviders(t *testing.T) {
	_, topo := synth(t)
	var got [][]interface{}
	for _, a := range topo.Apps {
		got = append(got, []interface{}{a.Kind, a.Namespace, a.Name, a.Host, a.Services})
	}
	sort.Slice(got, func(i, j int) bool {
		return got[i][0].(string)+got[i][1].(string) < got[j][0].(string)+got[j][1].(string)
	})
	want := [][]interface{}{
		{"Kubernetes", "tenant-foo", "cluster1", "kubernetes-cluster1.foo.example.org", services("tenant-root", "tenant-root", "tenant-root", "")},
		{"Kubernetes", "tenant-u1-u2", "cluster1", "kubernetes-cluster1.u2.u1.example.org", services("tenant-u1", "tenant-u1", "tenant-u1", "")},
		{"Postgres", "tenant-u1-u2", "db1", "postgres-db1.u2.u1.example.org", services("", "", "tenant-u1", "")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("apps:\n got %v\nwant %v", got, want)
	}
}

func TestTheAPIAnswersAsTheBundleDoes(t *testing.T) {
	root, _ := synth(t)
	u2 := cozy.Tenant_Of(root.Node().FindChild(jsii.String("u1")).Node().FindChild(jsii.String("u2")))
	if *u2.Namespace() != "tenant-u1-u2" || *u2.Host() != "u2.u1.example.org" || *u2.Depth() != 2 || *u2.ParentTenant().Namespace() != "tenant-u1" {
		t.Errorf("u2: %s %s %v parent %s", *u2.Namespace(), *u2.Host(), *u2.Depth(), *u2.ParentTenant().Namespace())
	}
	if got := *u2.EtcdProvider().Namespace(); got != "tenant-u1" {
		t.Errorf("u2's etcd provider is %s", got)
	}
	if got := *u2.ProviderOf(cozy.ClusterService_SEAWEEDFS).Namespace(); got != "tenant-root" {
		t.Errorf("u2's seaweedfs provider is %s", got)
	}
	if *u2.RunsService(cozy.ClusterService_ETCD) || !*u2.ParentTenant().RunsService(cozy.ClusterService_ETCD) {
		t.Errorf("u2 must not run etcd, u1 must")
	}
}
