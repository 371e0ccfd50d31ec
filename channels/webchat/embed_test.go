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

// The widget on portal pages of another origin, in headless Chromium: framed behind the
// launcher (/framed), and held in the page itself (/inline), which needs the portal's origin
// in AllowedOrigins.
func TestEmbeddedWidgetInBrowser(t *testing.T) {
	browsertest.Require(t)
	var s *server
	portal := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		script := fmt.Sprintf(`<script src="%s" data-token="%s" async></script>`, s.base+webchat.ScriptPath, html.EscapeString(portalToken(t, nil)))
		if r.URL.Path == "/inline" {
			fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Portal</title><link rel="stylesheet" href="%s">
<main id="frontdesk-chat" class="fd-chat"></main>%s`, s.base+webchat.StylePath, script)
			return
		}
		fmt.Fprintf(w, `<!doctype html><html lang="en"><title>Portal</title><h1>My account</h1>%s`, script)
	}))
	// The chat starts knowing the portal's origin; the portal serves once s is set.
	s = start(t, webchat.Limits{}, "http://"+portal.Listener.Addr().String())
	portal.Start()
	defer portal.Close()
	browsertest.Run(t, "testdata/embedded.mjs", map[string]string{"HOST_URL": portal.URL})
}
