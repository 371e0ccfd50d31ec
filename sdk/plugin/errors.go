package plugin

import "errors"

// ErrNotFound reports that the requested case, customer or request does not exist. Plugins
// return it (or wrap it) so that frontdesk can tell absence from failure across the process
// boundary.
var ErrNotFound = errors.New("plugin: not found")

// ErrUnimplemented reports a call to a service the plugin does not serve.
var ErrUnimplemented = errors.New("plugin: not implemented")

// ErrInvalidArgument reports a request the plugin or the system behind it refuses as malformed,
// such as an unknown queue or a field the CRM does not have. Retrying it will not help.
var ErrInvalidArgument = errors.New("plugin: invalid argument")

// ErrUnavailable reports that something could not be reached: the plugin process (it crashed
// during the call; the host restarts it) or, returned by a plugin, the system behind it. A
// retry may succeed.
var ErrUnavailable = errors.New("plugin: unavailable")
