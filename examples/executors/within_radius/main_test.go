package main

import (
	"math"
	"testing"

	"github.com/frontdeskhq/frontdesk/sdk/executor"
)

func TestHandle(t *testing.T) {
	// Amsterdam Centraal to the Dam is about 700 m.
	centraal := map[string]any{"pickup_lat": 52.37903, "pickup_lon": 4.90026}
	for _, tc := range []struct {
		name     string
		lat, lon float64
		radius   any
		branch   string
		near     float64
	}{
		{"same point", 52.37903, 4.90026, nil, "inside", 0},
		{"dam, default radius", 52.37302, 4.89290, nil, "outside", 850},
		{"dam, 1 km radius", 52.37302, 4.89290, 1000.0, "inside", 850},
		{"radius as int", 52.37302, 4.89290, 1000, "inside", 850},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := map[string]any{"reported_lat": tc.lat, "reported_lon": tc.lon}
			for k, v := range centraal {
				data[k] = v
			}
			if tc.radius != nil {
				data["radius_m"] = tc.radius
			}
			res, err := executor.Test(handle, data, nil)
			if err != nil {
				t.Fatal(err)
			}
			d, _ := res.Var("distance_m")
			if res.Branch != tc.branch || math.Abs(d.(float64)-tc.near) > 100 {
				t.Fatalf("got %q at %v m, want %q near %v m", res.Branch, d, tc.branch, tc.near)
			}
		})
	}
}

func TestHandleBadCoordinates(t *testing.T) {
	_, err := executor.Test(handle, map[string]any{"pickup_lat": 91.0, "pickup_lon": 0.0, "reported_lat": 0.0, "reported_lon": 0.0}, nil)
	if err == nil {
		t.Fatal("latitude 91 accepted")
	}
}

func TestDistance(t *testing.T) {
	// Pole to equator is a quarter of a great circle: pi/2 times the mean radius.
	if d := distance(0, 0, 90, 0); math.Abs(d-math.Pi/2*earthRadius) > 0.01 {
		t.Fatalf("pole to equator: %v m", d)
	}
}
