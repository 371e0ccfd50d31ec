package webchat_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/frontdeskhq/frontdesk/channels/webchat"
	"github.com/frontdeskhq/frontdesk/internal/browsertest"
)

// The widget on a portal page of another origin, in headless Chromium.
func TestEmbeddedWidgetInBrowser(t *testing.T) {
	browsertest.Require(t)
	s := start(t, webchat.Limits{})
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Portal</title><h1>My account</h1>
<script src="%s" data-token="%s" async></script>`, s.base+webchat.ScriptPath, html.EscapeString(portalToken(t, nil)))
	}))
	defer portal.Close()
	browsertest.Run(t, "testdata/embedded.mjs", map[string]string{"HOST_URL": portal.URL})
}
