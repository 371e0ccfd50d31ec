package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/pluginmain"

	"github.com/frontdeskhq/frontdesk/plugins"
)

func testdata(t *testing.T, name string) []byte {
	b, err := os.ReadFile(filepath.Join("..", "..", "connectors", "salesforce", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestServesThroughTheHost starts the binary as frontdesk does (a real subprocess under the
// plugins host), configured by a file and the environment, against a Salesforce org on
// loopback: sign-in, a Case and the SOQL that names its queue.
func TestServesThroughTheHost(t *testing.T) {
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("POST /services/oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("grant_type") != "client_credentials" || r.FormValue("client_secret") != "from-env" {
			w.WriteHeader(http.StatusBadRequest)
			w.Write(testdata(t, "token_error.json"))
			return
		}
		var tok map[string]any
		json.Unmarshal(testdata(t, "token_client_credentials.json"), &tok)
		tok["instance_url"] = srv.URL // the org is here, not at the payload's acme.my.salesforce.com
		json.NewEncoder(w).Encode(tok)
	})
	mux.HandleFunc("GET /services/data/v62.0/sobjects/Case/5005e00000ZxQ1aAAF", func(w http.ResponseWriter, r *http.Request) {
		w.Write(testdata(t, "case.json"))
	})
	mux.HandleFunc("GET /services/data/v62.0/query", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"totalSize":1,"done":true,"records":[{"attributes":{"type":"Group"},"DeveloperName":"Data_Change_Approvals"}]}`))
	})
	srv = httptest.NewServer(mux)
	defer srv.Close()

	config := filepath.Join(t.TempDir(), "salesforce.yaml")
	settings := "api_version: v62.0\nconfidence_field: Frontdesk_Confidence__c\nqueues:\n  data-change-approvals: Data_Change_Approvals\nauth:\n  client_id: 3MVG9example\n"
	if err := os.WriteFile(config, []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	host, err := plugins.Start(ctx, []plugins.Config{{Name: "crm", Command: pluginmain.Build(t, "frontdesk-salesforce"), Args: []string{"-config", config},
		Env: map[string]string{"SALESFORCE_INSTANCE_URL": srv.URL, "SALESFORCE_CLIENT_SECRET": "from-env"}}}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()
	crm, ok := host.CRM("crm")
	if !ok {
		t.Fatal("the plugin serves no CRM")
	}
	c, err := crm.GetCase(ctx, "5005e00000ZxQ1aAAF")
	if err != nil || c.Intent != "change_address" || c.Confidence != 0.93 || c.Queue != "data-change-approvals" {
		t.Fatalf("GetCase = %+v, %v", c, err)
	}
}

// TestBadConfigurationIsReported runs the binary by hand without settings: it exits 1 naming
// what is missing, on stderr only.
func TestBadConfigurationIsReported(t *testing.T) {
	pluginmain.CheckBadConfig(t, "SALESFORCE_INSTANCE_URL", pluginmain.Build(t, "frontdesk-salesforce"))
}
