package intent

import (
	"math"
	"testing"
)

func TestHalfRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		in   float32
		want float32
	}{
		{0, 0},
		{1, 1},
		{-2.5, -2.5},
		{0.1, 0.0999755859375},
		{65504, 65504},
		{1e6, 65504},
		{-1e6, -65504},
		{6.1035156e-05, 6.1035156e-05}, // smallest normal
		{5.9604645e-08, 5.9604645e-08}, // smallest subnormal
		{1e-9, 0},
		{1.00048828125, 1},           // halfway, rounds to even
		{1.00146484375, 1.001953125}, // halfway, rounds to even (up)
	} {
		if got := fromHalf(toHalf(tc.in)); got != tc.want {
			t.Errorf("half(%g) = %g, want %g", tc.in, got, tc.want)
		}
	}
}

func TestHalfRelativeError(t *testing.T) {
	for f := float32(1e-4); f < 6e4; f *= 1.0137 {
		got := fromHalf(toHalf(f))
		if rel := math.Abs(float64(got-f)) / float64(f); rel > 1.0/2048 {
			t.Fatalf("half(%g) = %g, relative error %g", f, got, rel)
		}
	}
}
