package plugin

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	pb "github.com/frontdeskhq/frontdesk/sdk/proto/pluginv1"
)

// TestVersionsInStep keeps the handshake, the Go constants and the proto in step: the proto's
// header names the version, its package ends in v<major>, the handshake carries the major.
func TestVersionsInStep(t *testing.T) {
	src, err := os.ReadFile("../proto/pluginv1/plugin.proto")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^// frontdesk plugin protocol, version (\d+)\.(\d+)$`).FindSubmatch(src)
	if m == nil {
		t.Fatal("plugin.proto lacks the header line `// frontdesk plugin protocol, version X.Y`")
	}
	if got, want := string(m[1])+"."+string(m[2]), fmt.Sprintf("%d.%d", ProtocolMajor, ProtocolMinor); got != want {
		t.Errorf("plugin.proto says version %s, sdk/plugin says %s", got, want)
	}
	if got, want := string(pb.File_pluginv1_plugin_proto.Package()), fmt.Sprintf("frontdesk.plugin.v%d", ProtocolMajor); got != want {
		t.Errorf("generated proto package = %s, want %s (regenerate with make generate?)", got, want)
	}
	if !regexp.MustCompile(fmt.Sprintf(`(?m)^package frontdesk\.plugin\.v%d;$`, ProtocolMajor)).Match(src) {
		t.Errorf("plugin.proto's package does not end in v%d", ProtocolMajor)
	}
	if Handshake.ProtocolVersion != ProtocolMajor {
		t.Errorf("handshake version %d, protocol major %d", Handshake.ProtocolVersion, ProtocolMajor)
	}
}
