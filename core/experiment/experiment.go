// Package experiment decides which version of a policy serves a contact while an experiment
// runs: a contact's bucket is a stable hash of the experiment and the contact's key, and the
// experiment's arms map bucket ranges and attribute conditions (country, channel) to versions.
package experiment

import (
	"errors"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// Buckets is the number of buckets contacts are hashed into; arms cover ranges of [0, Buckets).
const Buckets = 100

// CountryAttribute is the contact attribute the arms' country conditions read.
const CountryAttribute = "country"

// ErrInvalid is returned for arms that cannot be served.
var ErrInvalid = errors.New("experiment: invalid arms")

// Bucket returns the contact key's bucket in the named experiment. Hashing the name with the
// key gives each experiment its own split, so the same contacts are not always the ones in
// the first arm.
func Bucket(experiment, contactKey string) int {
	h := fnv.New64a()
	h.Write([]byte(experiment))
	h.Write([]byte{0})
	h.Write([]byte(contactKey))
	return int(h.Sum64() % Buckets)
}

// Choose returns the version the experiment gives this message's contact, and whether an arm
// took it. Contacts without a key take part in no experiment: they could not be given the same
// version twice.
func Choose(e *store.Experiment, msg *message.Message) (int, bool) {
	key := msg.Contact.Key()
	if key == "" {
		return 0, false
	}
	b := Bucket(e.Name, key)
	country := msg.Contact.Attributes[CountryAttribute]
	for _, a := range e.Arms {
		if b < a.From || b >= a.To {
			continue
		}
		if len(a.Countries) > 0 && !slices.Contains(a.Countries, country) {
			continue
		}
		if len(a.Channels) > 0 && !slices.Contains(a.Channels, msg.Channel) {
			continue
		}
		return a.Version, true
	}
	return 0, false
}

// Validate checks that arms name versions, and that their ranges lie in [0, Buckets), are not
// empty, and do not overlap where their conditions could match the same contact.
func Validate(arms []store.ExperimentArm) error {
	if len(arms) == 0 {
		return fmt.Errorf("%w: an experiment needs at least one arm", ErrInvalid)
	}
	for i, a := range arms {
		if a.Version <= 0 {
			return fmt.Errorf("%w: arm %d: version must be a positive number", ErrInvalid, i+1)
		}
		if a.From < 0 || a.To > Buckets || a.From >= a.To {
			return fmt.Errorf("%w: arm %d: buckets [%d, %d) must be a non-empty range within [0, %d)", ErrInvalid, i+1, a.From, a.To, Buckets)
		}
		for j := range i {
			if b := arms[j]; a.From < b.To && b.From < a.To && mayMeet(a.Countries, b.Countries) && mayMeet(a.Channels, b.Channels) {
				return fmt.Errorf("%w: arms %d and %d overlap in buckets [%d, %d) for the same contacts", ErrInvalid, j+1, i+1, max(a.From, b.From), min(a.To, b.To))
			}
		}
	}
	return nil
}

// mayMeet reports whether two conditions can both hold: either is open, or they share a value.
func mayMeet(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	for _, v := range a {
		if slices.Contains(b, v) {
			return true
		}
	}
	return false
}
