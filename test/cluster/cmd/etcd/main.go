// Command etcd is etcd's own server main, built from the go.etcd.io/etcd/server/v3
// module pinned in ../../go.mod. It exists only so that the test cluster can build
// etcd with `go build` from a module of this project's own.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
