// Command within_radius decides whether a reported location lies within a radius of the
// pickup point, by great-circle (haversine) distance. Built for frontdesk's wasm host with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o within_radius.wasm .
//
// Selected values: pickup_lat, pickup_lon, reported_lat, reported_lon (degrees) and
// radius_m (metres, optional: DefaultRadius when not selected).
// Answer: branch "inside" or "outside"; variable distance_m (metres, to the decimetre).
package main

import (
	"fmt"
	"math"

	"github.com/frontdeskhq/frontdesk/sdk/executor"
)

// DefaultRadius is the radius when the selector gives none, in metres.
const DefaultRadius = 200.0

// earthRadius is the mean Earth radius in metres (IUGG).
const earthRadius = 6371008.8

func init() { executor.Handle(handle) }

// handle reads the two points and the radius and answers inside or outside.
func handle(req executor.Request) (executor.Response, error) {
	pLat, pLon := req.Float("pickup_lat"), req.Float("pickup_lon")
	rLat, rLon := req.Float("reported_lat"), req.Float("reported_lon")
	radius := DefaultRadius
	if req.Has("radius_m") {
		radius = req.Float("radius_m")
	}
	if err := req.Err(); err != nil {
		return executor.Response{}, err
	}
	for _, c := range [][2]float64{{pLat, pLon}, {rLat, rLon}} {
		if math.Abs(c[0]) > 90 || math.Abs(c[1]) > 180 {
			return executor.Response{}, fmt.Errorf("coordinate (%v, %v) is not a latitude and longitude", c[0], c[1])
		}
	}
	d := distance(pLat, pLon, rLat, rLon)
	branch := "outside"
	if d <= radius {
		branch = "inside"
	}
	return executor.Response{Branch: branch, Vars: req.Vars(
		executor.Float("distance_m", math.Round(d*10)/10),
	)}, nil
}

// distance returns the haversine distance between two points in metres.
func distance(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadius * math.Asin(math.Min(1, math.Sqrt(a)))
}

func main() {}
