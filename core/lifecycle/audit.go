package lifecycle

import (
	"context"
	"encoding/json"

	"github.com/frontdeskhq/frontdesk/core/store"
)

// The audit actions of the lifecycle and the Studio, as the audit log names them.
const (
	ActionPolicyCreate      = "policy.create"
	ActionPolicyMetadata    = "policy.metadata"
	ActionVersionCreate     = "version.create"
	ActionVersionUpdate     = "version.update"
	ActionVersionDelete     = "version.delete"
	ActionVersionState      = "version.state"
	ActionDeployLive        = "deploy.live"
	ActionDeployRollback    = "deploy.rollback"
	ActionDeployDevImport   = "deploy.dev_import"
	ActionTestPut           = "test.put"
	ActionTestDelete        = "test.delete"
	ActionExperimentCreate  = "experiment.create"
	ActionExperimentEnable  = "experiment.enable"
	ActionExperimentDisable = "experiment.disable"
	ActionKeyCreate         = "key.create"
	ActionKeyRevoke         = "key.revoke"
)

// Audit appends one entry, its details as JSON.
func Audit(ctx context.Context, a store.Audit, actor, action, subject string, details any) error {
	d := "{}"
	if details != nil {
		b, err := json.Marshal(details)
		if err != nil {
			return err
		}
		d = string(b)
	}
	_, err := a.AppendAudit(ctx, store.AuditEntry{Actor: actor, Action: action, Subject: subject, Details: d})
	return err
}
