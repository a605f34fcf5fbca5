// vcsim for trondocs' tests and benchmarks: govmomi's vCenter simulator (simulator.VPX())
// with a few flags. Built by scripts/build-vcsim from Debian's golang-github-vmware-govmomi-dev.
//
// govmomi 0.24's PropertyCollector ignores RetrieveOptions.maxObjects and has no
// ContinueRetrievePropertiesEx; pagingCollector adds both, as vCenter pages, so the
// collector's paging loop runs against the simulator too.
//
// It prints one line "VCSIM_URL=<url>" on stdout once it serves, then runs until SIGINT/SIGTERM,
// when it removes the simulator's temporary datastore folders.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"io/ioutil"
	"log"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/vmware/govmomi"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	listen := flag.String("l", "127.0.0.1:0", "listen address (port 0: any free port)")
	clusterHosts := flag.Int("host", 3, "hosts per cluster")
	standalone := flag.Int("standalone-host", 1, "standalone hosts per datacenter")
	machines := flag.Int("vm", 2, "VMs per resource pool (the cluster's and each standalone host's)")
	datastores := flag.Int("ds", 1, "datastores")
	useTLS := flag.Bool("tls", false, "serve https with a fresh self-signed certificate (ECDSA P-256)")
	certOut := flag.String("cert-out", "", "with -tls: write the server certificate (PEM) here")
	user := flag.String("username", "user", "the only user name accepted")
	pass := flag.String("password", "pass", "the only password accepted")
	snapshots := flag.Int("snapshots", 0, "snapshots to create on every VM at startup (a chain)")
	verbose := flag.Bool("log", false, "keep the simulator's log (noisy: one line per snapshot file)")
	flag.Parse()
	if !*verbose {
		log.SetOutput(ioutil.Discard)
	}

	model := simulator.VPX()
	model.ClusterHost = *clusterHosts
	model.Host = *standalone
	model.Machine = *machines
	model.Datastore = *datastores
	if err := model.Create(); err != nil {
		fail(err)
	}
	defer model.Remove()
	installPagingCollector(model.ServiceContent.PropertyCollector)

	if *useTLS {
		cert, err := selfSigned()
		if err != nil {
			fail(err)
		}
		model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*user, *pass)}
	server := model.Service.NewServer()
	defer server.Close()

	if *useTLS && *certOut != "" {
		block := &pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw}
		if err := ioutil.WriteFile(*certOut, pem.EncodeToMemory(block), 0o644); err != nil {
			fail(err)
		}
	}
	if *snapshots > 0 {
		if err := createSnapshots(server.URL, *snapshots); err != nil {
			fail(err)
		}
	}

	clean := *server.URL
	clean.User = nil
	fmt.Printf("VCSIM_URL=%s\n", clean.String())
	os.Stdout.Sync()

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
}

// createSnapshots gives every VM a chain of n snapshots through the vSphere API, in parallel.
func createSnapshots(u *url.URL, n int) error {
	ctx := context.Background()
	client, err := govmomi.NewClient(ctx, u, true)
	if err != nil {
		return err
	}
	defer client.Logout(ctx)
	manager := view.NewManager(client.Client)
	container, err := manager.CreateContainerView(ctx, client.ServiceContent.RootFolder,
		[]string{"VirtualMachine"}, true)
	if err != nil {
		return err
	}
	refs, err := container.Find(ctx, []string{"VirtualMachine"}, nil)
	if err != nil {
		return err
	}
	work := make(chan types.ManagedObjectReference)
	errs := make(chan error, len(refs))
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ref := range work {
				vm := object.NewVirtualMachine(client.Client, ref)
				for i := 0; i < n; i++ {
					task, err := vm.CreateSnapshot(ctx, fmt.Sprintf("snap-%d", i), "seeded by vcsim", false, i%2 == 0)
					if err == nil {
						err = task.Wait(ctx)
					}
					if err != nil {
						errs <- err
						break // keep draining the work queue so the sender never blocks
					}
				}
			}
		}()
	}
	for _, ref := range refs {
		work <- ref
	}
	close(work)
	wg.Wait()
	close(errs)
	return <-errs
}

// pagingCollector is the simulator's PropertyCollector with vCenter's paging. It embeds it by
// value: the simulator clones the collector per session with reflect.New of this type.
type pagingCollector struct {
	simulator.PropertyCollector
	pending map[string][]types.ObjectContent
	size    map[string]int
	tokens  int
}

func installPagingCollector(ref types.ManagedObjectReference) {
	orig := simulator.Map.Get(ref).(*simulator.PropertyCollector)
	pc := &pagingCollector{}
	pc.Self = orig.Self
	simulator.Map.Put(pc)
}

func (pc *pagingCollector) RetrievePropertiesEx(ctx *simulator.Context, r *types.RetrievePropertiesEx) soap.HasFault {
	body := pc.PropertyCollector.RetrievePropertiesEx(ctx, r)
	res, ok := body.(*methods.RetrievePropertiesExBody)
	if !ok || res.Res == nil || res.Res.Returnval == nil {
		return body
	}
	if r.Options.MaxObjects < 0 {
		return &methods.RetrievePropertiesExBody{Fault_: simulator.Fault("maxObjects must be positive",
			&types.InvalidArgument{InvalidProperty: "maxObjects"})}
	}
	res.Res.Returnval = pc.page(res.Res.Returnval.Objects, int(r.Options.MaxObjects))
	return res
}

func (pc *pagingCollector) ContinueRetrievePropertiesEx(ctx *simulator.Context, r *types.ContinueRetrievePropertiesEx) soap.HasFault {
	rest, ok := pc.pending[r.Token]
	if !ok {
		return &methods.ContinueRetrievePropertiesExBody{Fault_: simulator.Fault("unknown token",
			&types.InvalidArgument{InvalidProperty: "token"})}
	}
	size := pc.size[r.Token]
	delete(pc.pending, r.Token) // tokens are single-use
	delete(pc.size, r.Token)
	return &methods.ContinueRetrievePropertiesExBody{Res: &types.ContinueRetrievePropertiesExResponse{
		Returnval: *pc.page(rest, size)}}
}

func (pc *pagingCollector) CancelRetrievePropertiesEx(ctx *simulator.Context, r *types.CancelRetrievePropertiesEx) soap.HasFault {
	delete(pc.pending, r.Token)
	delete(pc.size, r.Token)
	return &methods.CancelRetrievePropertiesExBody{Res: &types.CancelRetrievePropertiesExResponse{}}
}

func (pc *pagingCollector) page(objects []types.ObjectContent, size int) *types.RetrieveResult {
	if size <= 0 || len(objects) <= size {
		return &types.RetrieveResult{Objects: objects}
	}
	if pc.pending == nil {
		pc.pending = map[string][]types.ObjectContent{}
		pc.size = map[string]int{}
	}
	pc.tokens++
	token := strconv.Itoa(pc.tokens)
	pc.pending[token] = objects[size:]
	pc.size[token] = size
	return &types.RetrieveResult{Objects: objects[:size], Token: token}
}

// selfSigned makes a fresh self-signed certificate for 127.0.0.1/localhost (httptest's built-in
// one has a 1024-bit key, which OpenSSL refuses before it even looks at who signed it).
func selfSigned() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "vcsim", Organization: []string{"trondocs tests"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true, // its own trust anchor when given as ca_bundle
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "vcsim: %v\n", err)
	os.Exit(1)
}
