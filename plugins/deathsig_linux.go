package plugins

import (
	"os/exec"
	"syscall"
)

// dieWithParent has Linux kill the plugin when frontdesk dies without a Close (a crash, a
// SIGKILL), so that no plugin process outlives it.
func dieWithParent(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
