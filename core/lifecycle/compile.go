package lifecycle

import (
	"fmt"

	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// Compile compiles a stored version against env. Errors name the version ("NAME@V") as the
// file, with line and column in its body. The version number is the store's, whatever the
// body says.
func Compile(v store.PolicyVersion, env policy.Env) (*policy.Compiled, error) {
	p, src, err := policy.Parse(fmt.Sprintf("%s@%d", v.Policy, v.Version), []byte(v.Body))
	if err != nil {
		return nil, err
	}
	if p.Name != v.Policy {
		return nil, &policy.Error{File: src.Path, Line: 1, Column: 1, Msg: fmt.Sprintf("the body names policy %q, not %q", p.Name, v.Policy)}
	}
	p.Version = v.Version
	return policy.Compile(p, src, env)
}
