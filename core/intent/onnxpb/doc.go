// Package onnxpb holds the Go types of the ONNX model format, generated from the official
// onnx.proto (Debian libonnx-dev, ONNX 1.12) by `make generate-onnx`. The exporter writes
// model.onnx with them; nothing else should need them.
package onnxpb
