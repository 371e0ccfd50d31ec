package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/frontdeskhq/frontdesk/cmd/frontdesk/internal/config"
	"github.com/frontdeskhq/frontdesk/internal/repotest"
)

// TestDeploymentConfigLoads keeps the container's configuration valid as the configuration
// format changes: it loads with the Secret's variables set, and names shared state.
func TestDeploymentConfigLoads(t *testing.T) {
	for _, name := range []string{"FRONTDESK_PUBLIC_URL", "FRONTDESK_REDIS_URL", "FRONTDESK_POSTGRES_URL",
		"FRONTDESK_VALET_KEY", "FRONTDESK_API_TOKEN", "FRONTDESK_ADMIN_TOKEN"} {
		t.Setenv(name, "redis://0123456789abcdef-"+name)
	}
	cfg, err := config.Load(filepath.Join(repotest.Root(t), "deploy", "frontdesk.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Session.Backend != "redis" || cfg.Store.Driver != "postgres" || len(cfg.Valet.Keys) != 1 {
		t.Fatalf("the deployment must share state and valet keys across instances: %+v", cfg)
	}
}

// TestKubernetesManifestsAreConsistent checks what kubectl would only find on a cluster: every
// resource the kustomization lists exists and parses, and the Deployment mounts the generated
// ConfigMap, probes /healthz and runs as the image's non-root user.
func TestKubernetesManifestsAreConsistent(t *testing.T) {
	dir := filepath.Join(repotest.Root(t), "deploy")
	var kustomization struct {
		Resources          []string `yaml:"resources"`
		ConfigMapGenerator []struct {
			Name  string   `yaml:"name"`
			Files []string `yaml:"files"`
		} `yaml:"configMapGenerator"`
	}
	readYAML(t, filepath.Join(dir, "kustomization.yaml"), &kustomization)
	kinds := map[string]map[string]any{}
	for _, res := range kustomization.Resources {
		data, err := os.ReadFile(filepath.Join(dir, res))
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range bytes.Split(data, []byte("\n---\n")) {
			var m map[string]any
			if err := yaml.Unmarshal(doc, &m); err != nil {
				t.Fatalf("%s: %v", res, err)
			}
			kind, _ := m["kind"].(string)
			if kind == "" || m["apiVersion"] == nil {
				t.Fatalf("%s: a document without kind or apiVersion", res)
			}
			kinds[kind] = m
		}
	}
	for _, kind := range []string{"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"} {
		if kinds[kind] == nil {
			t.Errorf("no %s among the resources", kind)
		}
	}
	if len(kustomization.ConfigMapGenerator) != 1 || kustomization.ConfigMapGenerator[0].Files[0] != "frontdesk.yaml" {
		t.Fatalf("the ConfigMap must be generated from deploy/frontdesk.yaml: %+v", kustomization.ConfigMapGenerator)
	}
	deployment, err := yaml.Marshal(kinds["Deployment"])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"name: " + kustomization.ConfigMapGenerator[0].Name, "path: /healthz", "runAsUser: 65532", "terminationGracePeriodSeconds: 30"} {
		if !bytes.Contains(deployment, []byte(want)) {
			t.Errorf("the Deployment lacks %q", want)
		}
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
