package intent

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/proto"

	"github.com/frontdeskhq/frontdesk/core/intent/onnxpb"
)

// Opset is the ONNX operator set the exported graph uses.
const Opset = 13

// irVersion 8 is what ONNX 1.12 (Debian's checker) writes for opset 13..17, and ONNX Runtime
// 1.24 reads it.
const irVersion = 8

// ExportONNX writes w as a standard ONNX graph:
//
//	rows  = Cast(Gather(embedding, indices))           [N, L, D]  (embedding in half precision)
//	bag   = MatMul(weights, rows)                      [N, 1, D]  (weighted sum of rows)
//	probs = Softmax(MatMul(bag, output/T) + bias/T)    [N, 1, C]
//
// indices (int32) are [N, L] and weights (float) [N, 1, L]: N texts, padded to L features each
// with weight 0. The weights' middle axis and the temperature T folded into the output layer
// keep the graph to six nodes, which matters because a call costs mostly per-node overhead.
func ExportONNX(w *Weights) ([]byte, error) {
	g := &onnxpb.GraphProto{Name: proto.String("frontdesk_intent")}
	output, bias := make([]float32, len(w.Output)), make([]float32, len(w.Bias))
	for i, v := range w.Output {
		output[i] = v / w.Temperature
	}
	for i, v := range w.Bias {
		bias[i] = v / w.Temperature
	}
	g.Initializer = []*onnxpb.TensorProto{
		halfTensor("embedding", w.Embedding, int64(w.Buckets), int64(w.Dim)),
		floatTensor("output", output, int64(w.Dim), int64(w.Classes)),
		floatTensor("bias", bias, int64(w.Classes)),
	}
	g.Node = []*onnxpb.NodeProto{
		node("Gather", []string{"embedding", InputIndices}, "rows_half"),
		node("Cast", []string{"rows_half"}, "rows", intAttr("to", int64(onnxpb.TensorProto_FLOAT))),
		node("MatMul", []string{InputWeights, "rows"}, "bag"),
		node("MatMul", []string{"bag", "output"}, "scores"),
		node("Add", []string{"scores", "bias"}, "logits"),
		node("Softmax", []string{"logits"}, OutputProbs, intAttr("axis", -1)),
	}
	g.Input = []*onnxpb.ValueInfoProto{
		valueInfo(InputIndices, onnxpb.TensorProto_INT32, dimParam("batch"), dimParam("features")),
		valueInfo(InputWeights, onnxpb.TensorProto_FLOAT, dimParam("batch"), dimValue(1), dimParam("features")),
	}
	g.Output = []*onnxpb.ValueInfoProto{
		valueInfo(OutputProbs, onnxpb.TensorProto_FLOAT, dimParam("batch"), dimValue(1), dimValue(int64(w.Classes))),
	}
	m := &onnxpb.ModelProto{
		IrVersion:       proto.Int64(irVersion),
		ProducerName:    proto.String("frontdesk"),
		ProducerVersion: proto.String("1"),
		DocString:       proto.String("frontdesk intent classifier: hashed n-gram embedding bag, linear layer, calibrated softmax"),
		OpsetImport:     []*onnxpb.OperatorSetIdProto{{Domain: proto.String(""), Version: proto.Int64(Opset)}},
		Graph:           g,
	}
	return proto.Marshal(m)
}

func floatTensor(name string, data []float32, dims ...int64) *onnxpb.TensorProto {
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	return &onnxpb.TensorProto{Name: proto.String(name), Dims: dims, DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT)), RawData: raw}
}

func halfTensor(name string, data []float32, dims ...int64) *onnxpb.TensorProto {
	raw := make([]byte, 2*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint16(raw[2*i:], toHalf(v))
	}
	return &onnxpb.TensorProto{Name: proto.String(name), Dims: dims, DataType: proto.Int32(int32(onnxpb.TensorProto_FLOAT16)), RawData: raw}
}

func node(op string, inputs []string, output string, attrs ...*onnxpb.AttributeProto) *onnxpb.NodeProto {
	return &onnxpb.NodeProto{Name: proto.String(output), OpType: proto.String(op), Input: inputs, Output: []string{output}, Attribute: attrs}
}

func intAttr(name string, v int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: proto.String(name), Type: onnxpb.AttributeProto_INT.Enum(), I: proto.Int64(v)}
}

func dimParam(name string) *onnxpb.TensorShapeProto_Dimension {
	return &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: name}}
}

func dimValue(v int64) *onnxpb.TensorShapeProto_Dimension {
	return &onnxpb.TensorShapeProto_Dimension{Value: &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: v}}
}

func valueInfo(name string, t onnxpb.TensorProto_DataType, dims ...*onnxpb.TensorShapeProto_Dimension) *onnxpb.ValueInfoProto {
	return &onnxpb.ValueInfoProto{
		Name: proto.String(name),
		Type: &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{
			ElemType: proto.Int32(int32(t)),
			Shape:    &onnxpb.TensorShapeProto{Dim: dims},
		}}},
	}
}
