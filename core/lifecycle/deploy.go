package lifecycle

import (
	"context"
	"errors"
	"fmt"

	"github.com/frontdeskhq/frontdesk/core/store"
)

// ErrNoRollback is returned when a policy has no Live version, or no Final version to roll
// back to.
var ErrNoRollback = errors.New("lifecycle: nothing to roll back to")

// Deploy makes a Final version Live; the previous Live version becomes Final. It returns the
// previous Live version's number, 0 when there was none.
func Deploy(ctx context.Context, st store.Policies, name string, version int) (previous int, err error) {
	v, err := st.Version(ctx, name, version)
	if err != nil {
		return 0, err
	}
	if v.State != store.StateFinal {
		return 0, fmt.Errorf("%w: %s version %d is %s; only a Final version can go Live", store.ErrTransition, name, version, v.State)
	}
	if live, err := st.LiveVersion(ctx, name); err == nil {
		previous = live.Version
	} else if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	_, err = st.SetState(ctx, name, version, store.StateLive)
	return previous, err
}

// Rollback makes an earlier Final version Live again: to, or when to is 0 the newest Final
// version older than the Live one. It returns the new and the previous Live versions.
func Rollback(ctx context.Context, st store.Policies, name string, to int) (live, previous int, err error) {
	cur, err := st.LiveVersion(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return 0, 0, fmt.Errorf("%w: policy %q has no Live version", ErrNoRollback, name)
	}
	if err != nil {
		return 0, 0, err
	}
	if to == 0 {
		versions, err := st.Versions(ctx, name)
		if err != nil {
			return 0, 0, err
		}
		for _, v := range versions {
			if v.State == store.StateFinal && v.Version < cur.Version {
				to = v.Version
			}
		}
		if to == 0 {
			return 0, 0, fmt.Errorf("%w: policy %q has no Final version older than Live version %d", ErrNoRollback, name, cur.Version)
		}
	}
	if to == cur.Version {
		return 0, 0, fmt.Errorf("%w: version %d is already Live", ErrNoRollback, to)
	}
	if _, err := Deploy(ctx, st, name, to); err != nil {
		return 0, 0, err
	}
	return to, cur.Version, nil
}
