package agent

import (
	"embed"
	"io/fs"

	"github.com/frontdeskhq/frontdesk/core/httpserver"
)

// pageFiles is the agent page: plain HTML, CSS and an ES module, no build step.
//
//go:embed page
var pageFiles embed.FS

func mountPage(s *httpserver.Server) {
	sub, err := fs.Sub(pageFiles, "page")
	if err != nil {
		panic(err) // the folder is embedded above
	}
	s.HandleFS(PagePath, sub)
}
