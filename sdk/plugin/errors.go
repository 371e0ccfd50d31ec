package plugin

import "errors"

// ErrNotFound reports that the requested case, customer or request does not exist. Plugins
// return it (or wrap it) so that frontdesk can tell absence from failure across the process
// boundary.
var ErrNotFound = errors.New("plugin: not found")

// ErrUnimplemented reports a call to a service the plugin does not serve.
var ErrUnimplemented = errors.New("plugin: not implemented")
