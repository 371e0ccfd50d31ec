// Package ui is the Policy Studio's browser interface, served at /studio: plain HTML, CSS and
// ES modules embedded in the binary, with no build step and nothing fetched from elsewhere.
// It speaks the Studio API (docs/studio-api.md) with the API key the person signs in with,
// kept in sessionStorage. Two small endpoints of its own convert policy bodies between YAML
// and the JSON the form-based node editor works on.
package ui

import (
	"context"
	"embed"
	"io/fs"

	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
)

// Paths where the Studio is served.
const (
	// Path is the Studio page; its files are under Path + "/".
	Path = "/studio"
	// DecodePath and EncodePath convert bodies for the node editor.
	DecodePath = "/studio/api/decode"
	EncodePath = "/studio/api/encode"
)

//go:embed static
var static embed.FS

// Authenticator checks the Authorization header of a request ("Bearer KEY"); *auth.APIKeys is
// one.
type Authenticator interface {
	Authenticate(ctx context.Context, header string) (auth.Principal, error)
}

// Mount serves the Studio and its conversion endpoints, which any signed-in role may use.
func Mount(s *httpserver.Server, keys Authenticator) {
	files, err := fs.Sub(static, "static")
	if err != nil {
		panic(err) // the folder is embedded above
	}
	s.HandleFS(Path, files)
	c := converter{keys: keys}
	s.Handle("POST", DecodePath, c.decode)
	s.Handle("POST", EncodePath, c.encode)
}
